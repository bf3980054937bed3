from django.db import models


class Note(models.Model):
    """A record a later app might add: federation staff see every note, others the open ones."""

    title = models.CharField(max_length=200)
    internal = models.BooleanField(default=True)

    def __str__(self):
        return self.title
