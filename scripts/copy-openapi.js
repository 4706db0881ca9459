// The build puts the OpenAPI documents beside the compiled twins (dist/openapi), so that a twin finds its document
// at the same relative place from its sources (twins/okta -> ../../openapi) and from the build (dist/twins/okta).
import { cpSync } from 'node:fs';

cpSync('openapi', 'dist/openapi', { recursive: true });
