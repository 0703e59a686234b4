/**
 * The settings the server sees: VS Code's `marginalia` section without the keys
 * that only the extension reads (the server rejects unknown keys).
 */

/** Top-level keys under `marginalia.` that belong to the extension, not to the server's schema. */
export const EXTENSION_ONLY_KEYS: readonly string[] = ['server', 'trace'];

export type JsonObject = { [key: string]: unknown };

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A plain copy of `section` without the extension's own keys; anything else gives {}. */
export function serverSettings(section: unknown): JsonObject {
  if (!isObject(section)) {
    return {};
  }
  const plain = JSON.parse(JSON.stringify(section)) as JsonObject;
  for (const key of EXTENSION_ONLY_KEYS) {
    delete plain[key];
  }
  return plain;
}

/**
 * A workspace/configuration answer with the extension's keys taken out of every
 * item that is our section (items for other sections pass through).
 */
export function stripConfigurationResult(sections: readonly (string | undefined)[], result: readonly unknown[]): unknown[] {
  return result.map((value, i) => (sections[i] === 'marginalia' ? serverSettings(value) : value));
}
