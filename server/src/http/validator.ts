import { AjvCompiler } from '@fastify/ajv-compiler'
import type { FastifyInstance } from 'fastify'

/**
 * The plugin's own schema validator, whatever the host app configured: fastify's default ajv
 * coerces types, which would turn `{"code": 123}` into the code "123" and spend an upstream call
 * on it. Wrong types must be a 400.
 */
export function installStrictValidator(scope: FastifyInstance): void {
  const buildValidator = AjvCompiler()({}, { customOptions: { coerceTypes: false, allErrors: false }, plugins: [] })
  scope.setValidatorCompiler(buildValidator)
}
