// Generated from openapi/gdocs.yaml by `twinverse operation-ids`; do not edit. A test fails when it is stale.

/** Every operationId of the document: the keys a handler map must have. */
export type GdocsOperationId =
  | 'batchUpdateDocument'
  | 'copyFile'
  | 'createDocument'
  | 'createPermission'
  | 'deleteFile'
  | 'exportFile'
  | 'getDocument'
  | 'getFile'
  | 'listFiles'
  | 'listPermissions'
  | 'updateFile';
