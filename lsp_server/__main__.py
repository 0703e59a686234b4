"""``python -m lsp_server``: serve the language server over stdio."""

from lsp_server.server import start_io

if __name__ == "__main__":
    start_io()
