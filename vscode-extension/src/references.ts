/** "Format reference list": the `marginalia cite format` command line for a .bib file. */

/** Which output format suits the document the list goes into. */
export function referenceFormat(languageId: string | undefined): 'latex' | 'markdown' | 'text' {
  if (languageId === 'latex' || languageId === 'tex') {
    return 'latex';
  }
  if (languageId === 'markdown' || languageId === 'quarto' || languageId === 'rmd') {
    return 'markdown';
  }
  return 'text';
}

/** Arguments after the CLI's own prefix: `cite format BIB --style STYLE --to FORMAT`. */
export function citeFormatArgs(bib: string, style: string, languageId: string | undefined): string[] {
  const args = ['cite', 'format', bib, '--to', referenceFormat(languageId)];
  if (style.trim()) {
    args.push('--style', style.trim());
  }
  return args;
}
