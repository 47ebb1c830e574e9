"""Images and logos: where uploads go."""

import uuid
from pathlib import PurePosixPath


def upload_path(instance, filename):
    """images/programme/3f2c….jpg: a fresh name per upload, never the visitor's.

    A new name for every file means a replaced image never overwrites one a
    cache or an old revision still points to.
    """
    extension = PurePosixPath(filename).suffix.lower()
    return f"images/{instance._meta.model_name}/{uuid.uuid4().hex}{extension}"
