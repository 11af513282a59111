// The VS Code client of riskoff's language server: runs `riskoff lsp` (the executable from the
// `riskoff.path` setting) over stdio for every riskoff rule file.
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration('riskoff').get('path', 'riskoff');
  const server = { command, args: ['lsp'] };
  client = new LanguageClient('riskoff', 'riskoff', { run: server, debug: server },
                              { documentSelector: [{ scheme: 'file', language: 'riskoff' },
                                                   { scheme: 'untitled', language: 'riskoff' }] });
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
