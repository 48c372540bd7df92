// Starts `dlg lsp` for Deluge files (the program is the `deluge.server.path` setting).
"use strict";

const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("deluge").get("server.path", "dlg");
  const server = { command, args: ["lsp"], transport: TransportKind.stdio };
  client = new LanguageClient(
    "deluge",
    "Deluge (dlg lsp)",
    { run: server, debug: server },
    {
      documentSelector: [{ scheme: "file", language: "deluge" }],
      synchronize: {
        fileEvents: vscode.workspace.createFileSystemWatcher("**/*.{dg,deluge,ds}"),
      },
    }
  );
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
