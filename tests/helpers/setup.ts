// Runs before each test file (vitest setupFiles). Production-strength scrypt costs ~100 ms per hash
// and per sign-in; tests sign in hundreds of times, so new hashes use cheap parameters here only.
// tests/server/crypto.test.ts checks that production keeps the strong ones.
import { useTestPasswordHashing } from '../../server/lib/crypto.js';

useTestPasswordHashing();
