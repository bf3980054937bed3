"""What trade holds about a person, declared beside each part's code (see `qiaojia.members.rights`)."""

from .b2b import subject_data as b2b  # noqa: F401
