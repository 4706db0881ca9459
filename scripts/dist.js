// The build starts from an empty dist/ (a file moved or deleted in the sources must not linger in the package) and
// puts the OpenAPI documents beside the compiled twins, so that a twin finds its document at the same relative place
// from its sources (twins/okta -> ../../openapi) and from the build (dist/twins/okta -> ../../openapi).
import { cpSync, rmSync } from 'node:fs';

if (process.argv[2] === 'clean') rmSync('dist', { recursive: true, force: true });
else cpSync('openapi', 'dist/openapi', { recursive: true });
