"""Watching `.powerwords.yaml` and team term folders for changes on disk.

When the client can register file watchers dynamically, the server asks it to watch every
`.powerwords.yaml` and the `*.yaml` cards of each extra term folder in use; the watchers are
registered again when a new folder comes into use. On `workspace/didChangeWatchedFiles` the
project forgets what the changed files feed, and open documents are analysed again, so
diagnostics and hovers use the new cards. A broken edit is reported (window/showMessage, with
file, line and field) and the last good version stays in use until the file is fixed.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.uris import from_fs_path, to_fs_path

from .config import CONFIG_NAME

if TYPE_CHECKING:  # pragma: no cover
    from .server import PowerWordsServer

log = logging.getLogger(__name__)

REGISTRATION_ID = "powerwords-watched-files"


class Watcher:
    """The file watchers registered with the client, kept in step with the folders in use."""

    def __init__(self) -> None:
        self.registered: frozenset[Path] | None = None  # term folders in the registration
        self._lock = asyncio.Lock()

    @staticmethod
    def supported(ls: PowerWordsServer) -> tuple[bool, bool]:
        """(dynamic registration, relative patterns) as the client announced them."""
        workspace = ls.client_capabilities.workspace
        caps = workspace.did_change_watched_files if workspace is not None else None
        if caps is None:
            return False, False
        return bool(caps.dynamic_registration), bool(caps.relative_pattern_support)

    def watchers(self, folders: frozenset[Path], relative: bool) -> list[types.FileSystemWatcher]:
        """`**/.powerwords.yaml` and each folder's cards."""
        out = [types.FileSystemWatcher(glob_pattern=f"**/{CONFIG_NAME}")]
        for folder in sorted(folders):
            uri = from_fs_path(str(folder)) or folder.as_uri()
            pattern: types.GlobPattern = (
                types.RelativePattern(base_uri=uri, pattern="*.{yaml,yml}") if relative
                else f"{folder.as_posix()}/*.{{yaml,yml}}")
            out.append(types.FileSystemWatcher(glob_pattern=pattern))
        return out

    async def sync(self, ls: PowerWordsServer) -> None:
        """Register watchers for the folders in use, if they changed since the last time."""
        dynamic, relative = self.supported(ls)
        if not dynamic:
            return
        async with self._lock:
            folders = frozenset(ls.project.watched_dirs())
            if folders == self.registered:
                return
            try:
                if self.registered is not None:
                    await ls.client_unregister_capability_async(types.UnregistrationParams(
                        unregisterations=[types.Unregistration(
                            id=REGISTRATION_ID, method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES)]))
                await ls.client_register_capability_async(types.RegistrationParams(
                    registrations=[types.Registration(
                        id=REGISTRATION_ID, method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                        register_options=types.DidChangeWatchedFilesRegistrationOptions(
                            watchers=self.watchers(folders, relative)))]))
                self.registered = folders
            except Exception:  # a client that refuses: no watching, everything else works
                log.exception("the client did not take the file watchers")

    def schedule_sync(self, ls: PowerWordsServer) -> None:
        """Sync soon, from code that cannot wait (a pack was just loaded)."""
        try:
            asyncio.get_running_loop().create_task(self.sync(ls))
        except RuntimeError:  # no event loop (a test calling the engine directly)
            pass


def changed_paths(params: types.DidChangeWatchedFilesParams) -> list[Path]:
    """The local files named by a didChangeWatchedFiles notification."""
    out = []
    for event in params.changes:
        path = to_fs_path(event.uri) if event.uri.startswith("file:") else None
        if path:
            out.append(Path(path))
    return out


def reload(ls: PowerWordsServer, paths: list[Path]) -> bool:
    """Forget what `paths` feed, show fresh errors for them, analyse open documents again."""
    if not ls.project.reload(paths):
        return False
    ls.completers.clear()  # keyed by pack identity: the packs are new
    # A file fixed and broken again in the same way is worth telling again.
    names = [str(p) for p in paths]
    ls.shown = {m for m in ls.shown if not any(name in m for name in names)}
    for uri in list(ls.docs):
        try:
            ls.reopen(uri)
        except Exception:  # never let one document take the server down
            log.exception("analysis of %s failed", uri)
    return True
