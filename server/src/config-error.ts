/** A configuration that cannot work; the message says what to change. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError'
}
