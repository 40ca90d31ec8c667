export {
  createTestingAuth,
  type TestingAuth,
  type TestingAuthOptions,
  type TestingRequest,
  type TestingResponse,
} from './create-testing-auth.js'
