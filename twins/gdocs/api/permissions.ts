import { GoogleError } from '../errors.js';
import { parseFields, select } from '../model/fields.js';
import { findFile, permissionJson, requireRole } from '../model/files.js';
import type { Ctx, GdocsHandlers, StoredPermission } from '../types.js';

/** Drive's default fields of a permission. */
const DEFAULT_PERMISSION_FIELDS = parseFields('kind,id,type,role');

const fieldsOf = (ctx: Ctx) => (typeof ctx.query.fields === 'string' ? parseFields(ctx.query.fields) : undefined);

/** permissions.create and permissions.list: sharing a file. */
export const permissionHandlers = {
  listPermissions(ctx) {
    const file = findFile(ctx, ctx.params.fileId);
    const body = { kind: 'drive#permissionList', permissions: file.permissions.map(permissionJson) };
    return { body: select(body, fieldsOf(ctx) ?? new Map([['kind', undefined], ['permissions', DEFAULT_PERMISSION_FIELDS]])) };
  },

  createPermission(ctx) {
    const file = findFile(ctx, ctx.params.fileId);
    requireRole(ctx, file, 'writer');
    const { role, type, emailAddress, domain, allowFileDiscovery } = ctx.body;
    if (!type) throw new GoogleError('INVALID_ARGUMENT', 'The permission type field is required.', { reason: 'required', location: 'permission.type' });
    if (!role) throw new GoogleError('INVALID_ARGUMENT', 'The permission role field is required.', { reason: 'required', location: 'permission.role' });
    if ((type === 'user' || type === 'group') && !emailAddress) throw new GoogleError('INVALID_ARGUMENT', 'The permission emailAddress field is required for this permission type.', { reason: 'required', location: 'permission.emailAddress' });
    if (type === 'domain' && !domain) throw new GoogleError('INVALID_ARGUMENT', 'The permission domain field is required for this permission type.', { reason: 'required', location: 'permission.domain' });
    if (role === 'owner' && ctx.query.transferOwnership !== true) {
      throw new GoogleError('PERMISSION_DENIED', "The transferOwnership parameter must be enabled when the permission role is 'owner'.", { reason: 'forbidden', location: 'transferOwnership' });
    }
    const known = emailAddress ? ctx.state.users[emailAddress] : undefined;
    const existing = emailAddress ? file.permissions.find((p) => p.emailAddress === emailAddress) : file.permissions.find((p) => p.type === type && p.domain === domain);
    let permission: StoredPermission;
    if (existing) {
      existing.role = role;
      permission = existing;
    } else {
      const id = type === 'anyone' ? 'anyoneWithLink' : known?.permissionId ?? ctx.ids.token(20, '0123456789');
      permission = { kind: 'drive#permission', id, type, role };
      if (emailAddress) Object.assign(permission, { emailAddress, displayName: known?.displayName ?? emailAddress });
      if (domain) Object.assign(permission, { domain, displayName: domain });
      if (type === 'anyone' || type === 'domain') permission.allowFileDiscovery = allowFileDiscovery === true;
      if (type === 'user' || type === 'group') Object.assign(permission, { deleted: false, pendingOwner: false });
      file.permissions.push(permission);
    }
    if (role === 'owner' && emailAddress) {
      // Transferring ownership makes the former owner a writer (permissions.create transferOwnership).
      for (const p of file.permissions) if (p !== permission && p.role === 'owner') p.role = 'writer';
      file.owner = emailAddress;
    }
    file.version += 1;
    return { body: select(permissionJson(permission), fieldsOf(ctx) ?? DEFAULT_PERMISSION_FIELDS) };
  },
} satisfies GdocsHandlers;
