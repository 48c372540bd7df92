"""Shared fixtures: a pytest-lsp client talking to `dlg lsp` over stdio.

The Rust test dlg/tests/lsp.rs runs this suite with DLG_BIN set to the built `dlg`.
"""

import os
import pathlib
import sys

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

HERE = pathlib.Path(__file__).parent
WORKSPACE = HERE / "workspace"
DLG = os.environ.get("DLG_BIN", "dlg")


def uri(name: str) -> str:
    """The file URI of a workspace file."""
    return (WORKSPACE / name).resolve().as_uri()


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[DLG, "lsp"]))
async def client(lsp_client: LanguageClient):
    root = WORKSPACE.resolve().as_uri()
    params = types.InitializeParams(
        capabilities=types.ClientCapabilities(),
        root_uri=root,
        workspace_folders=[types.WorkspaceFolder(uri=root, name="workspace")],
    )
    await lsp_client.initialize_session(params)
    yield
    await lsp_client.shutdown_session()


def log(*parts):
    """Prints a figure so the Rust test shows it (never asserted)."""
    print(*parts, file=sys.stderr, flush=True)
