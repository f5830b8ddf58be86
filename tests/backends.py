"""The snapshot store's two back ends as the tests see them: the location to pass as data_dir,
and raw access to the stored objects for looking and tampering (as another process would)."""
from __future__ import annotations

import shutil
from pathlib import Path

from dashboard.store import db, objects, snapshot


def forget_process_state() -> None:
    """What a freshly started process knows: no stores (CURRENT re-read), nothing verified or open."""
    objects._stores.clear()
    snapshot._checked.clear()
    db._databases.clear()


class Folder:
    """A local data dir."""

    kind = "folder"

    def __init__(self, path: Path):
        self.loc = self.local = path

    def read(self, key: str) -> bytes | None:
        p = self.loc / key
        return p.read_bytes() if p.is_file() else None

    def write(self, key: str, data: bytes) -> None:
        p = self.loc / key
        if p.exists():
            p.chmod(0o644)
        p.write_bytes(data)

    def delete(self, key: str) -> None:
        (self.loc / key).unlink()

    def keys(self, prefix: str = "") -> list[str]:
        return sorted(str(p.relative_to(self.loc)) for p in (self.loc / prefix).rglob("*")
                      if p.is_file() and ".building-" not in str(p))


class Bucket:
    """A prefix of a bucket on the test's S3 server; the local folder is the process's cache."""

    kind = "bucket"

    def __init__(self, server, bucket: str, prefix: str):
        self.client = server.client()
        self.bucket, self.prefix = bucket, prefix + "/"
        self.loc = f"s3://{bucket}/{prefix}"
        self.local = snapshot.root(self.loc)
        forget_process_state()

    def read(self, key: str) -> bytes | None:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self.prefix + key)["Body"].read()
        except self.client.exceptions.NoSuchKey:
            return None

    def write(self, key: str, data: bytes) -> None:
        """Another process writes: this one starts afresh (as a new replica would) to see it."""
        self.client.put_object(Bucket=self.bucket, Key=self.prefix + key, Body=data)
        self.fresh()

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.prefix + key)
        self.fresh()

    def keys(self, prefix: str = "") -> list[str]:
        got = self.client.list_objects_v2(Bucket=self.bucket, Prefix=self.prefix + prefix).get("Contents", [])
        return sorted(o["Key"][len(self.prefix):] for o in got)

    def fresh(self) -> None:
        """A new process on a machine with an empty cache."""
        forget_process_state()
        shutil.rmtree(self.local / "snapshots", ignore_errors=True)
        (self.local / "snapshots").mkdir(parents=True)


def damage(where, key: str, how: str) -> None:
    """Overwrite 64 bytes in the middle of an object, cut it in half, or delete it."""
    if how == "delete":
        where.delete(key)
        return
    data = bytearray(where.read(key))
    if how == "overwrite":
        mid = len(data) // 2
        data[mid:mid + 64] = b"\x7f" * 64
    else:
        data = data[: len(data) // 2]
    where.write(key, bytes(data))
