"""Browser tests. A package so that its conftest does not replace the root `conftest` module that other
tests import (`from conftest import ...`): a conftest.py in a plain folder is imported as `conftest` too."""
