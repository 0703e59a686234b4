/** Command ids the extension contributes (package.json must declare exactly these). */
export const COMMANDS = {
  rewriteSelection: 'marginalia.rewriteSelection',
  restartServer: 'marginalia.restartServer',
  showOutput: 'marginalia.showOutput',
  formatReferences: 'marginalia.formatReferences',
} as const;

/** Languages the extension activates for and hands to the server. */
export const LANGUAGES: readonly string[] = ['latex', 'markdown', 'quarto', 'rmd'];
