import { afterEach } from 'vitest'
import { disposeHosts } from './support'

afterEach(disposeHosts)
