// The VS Code client of riskoff's language server: runs `riskoff lsp` (the executable from the
// `riskoff.path` setting) over stdio for every riskoff rule file. The `riskoff` settings
// (snapshot, profile) go to the server at start and again whenever they change.
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const settings = vscode.workspace.getConfiguration('riskoff');
  const server = { command: settings.get('path', 'riskoff'), args: ['lsp'] };
  client = new LanguageClient('riskoff', 'riskoff', { run: server, debug: server },
                              { documentSelector: [{ scheme: 'file', language: 'riskoff' },
                                                   { scheme: 'untitled', language: 'riskoff' }],
                                initializationOptions: { snapshot: settings.get('snapshot', ''),
                                                         profile: settings.get('profile', '') },
                                synchronize: { configurationSection: 'riskoff' } });
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
