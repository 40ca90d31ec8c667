export { createTestingAuth, type TestingAuthOptions, type TestingAuthPlugin } from './create-testing-auth'
