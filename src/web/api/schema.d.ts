/**
 * PROVISIONAL: hand-written from the API contract until `npm run gen:api` generates this file
 * from the server's OpenAPI document. Same shape as openapi-typescript output.
 */

type Json<T> = { content: { 'application/json': T } };
type NoContent = { content?: never };
type Err = Json<components['schemas']['Error']>;
type Op<Q, P, B, R> = {
  parameters: { query?: Q; header?: never; cookie?: never } & ([P] extends [never] ? { path?: never } : { path: P });
  responses: R;
} & ([B] extends [never] ? { requestBody?: never } : { requestBody: B });
type ListQuery = { cursor?: string; limit?: number };
type Page<T> = { items: T[]; nextCursor: string | null };

export interface paths {
  '/api/v1/auth/login': {
    post: Op<never, never, Json<{ login: string; password: string }>, {
      200: Json<{ user: components['schemas']['Me']; csrfToken: string }>;
      401: Err; 423: Err; 429: Err;
    }>;
  };
  '/api/v1/auth/logout': {
    post: Op<never, never, never, { 204: NoContent }>;
  };
  '/api/v1/me': {
    get: Op<never, never, never, { 200: Json<components['schemas']['Me']>; 401: Err }>;
    patch: Op<never, never, Json<{ locale: components['schemas']['Locale'] }>, {
      200: Json<components['schemas']['Me']>; 400: Err;
    }>;
  };
  '/api/v1/me/password': {
    put: Op<never, never, Json<{ currentPassword: string; newPassword: string }>, { 204: NoContent; 400: Err }>;
  };
  '/api/v1/company/public': {
    get: Op<never, never, never, { 200: Json<components['schemas']['CompanyPublic']> }>;
  };
  '/api/v1/company': {
    get: Op<never, never, never, { 200: Json<components['schemas']['Company']> }>;
    put: Op<never, never, Json<components['schemas']['CompanyInput']>, {
      200: Json<components['schemas']['Company']>; 400: Err;
    }>;
  };
  '/api/v1/staff': {
    get: Op<ListQuery & { q?: string }, never, never, { 200: Json<Page<components['schemas']['Staff']>> }>;
    post: Op<never, never, Json<{
      username: string; employeeNo: string; name: string; phone?: string;
      roles: components['schemas']['Role'][]; communityIds: string[]; allCommunities?: boolean; password: string;
    }>, { 201: Json<components['schemas']['Staff']>; 400: Err; 409: Err }>;
  };
  '/api/v1/staff/{id}': {
    get: Op<never, { id: string }, never, { 200: Json<components['schemas']['Staff']>; 404: Err }>;
    patch: Op<never, { id: string }, Json<{
      name?: string; phone?: string | null; roles?: components['schemas']['Role'][];
      communityIds?: string[]; allCommunities?: boolean; disabled?: boolean;
    }>, { 200: Json<components['schemas']['Staff']>; 400: Err; 404: Err }>;
  };
  '/api/v1/staff/{id}/reset-password': {
    post: Op<never, { id: string }, Json<{ newPassword: string }>, { 204: NoContent; 400: Err }>;
  };
  '/api/v1/communities': {
    get: Op<ListQuery, never, never, { 200: Json<Page<components['schemas']['Community']>> }>;
    post: Op<never, never, Json<{ name: string; code: string; address?: string; timeZone?: string }>, {
      201: Json<components['schemas']['Community']>; 400: Err; 409: Err;
    }>;
  };
  '/api/v1/communities/{id}': {
    get: Op<never, { id: string }, never, { 200: Json<components['schemas']['Community']>; 404: Err }>;
  };
  '/api/v1/buildings': {
    get: Op<ListQuery & { communityId?: string }, never, never, { 200: Json<Page<components['schemas']['Building']>> }>;
    post: Op<never, never, Json<{ communityId: string; name: string; code?: string }>, {
      201: Json<components['schemas']['Building']>; 400: Err;
    }>;
  };
  '/api/v1/units': {
    get: Op<ListQuery & { buildingId?: string }, never, never, { 200: Json<Page<components['schemas']['Unit']>> }>;
    post: Op<never, never, Json<{ buildingId: string; name: string }>, {
      201: Json<components['schemas']['Unit']>; 400: Err;
    }>;
  };
  '/api/v1/rooms': {
    get: Op<ListQuery & { communityId?: string; buildingId?: string; unitId?: string; q?: string }, never, never, {
      200: Json<Page<components['schemas']['Room']>>;
    }>;
    post: Op<never, never, Json<{
      unitId: string; number: string; floor?: number; area?: number; status?: components['schemas']['RoomStatus'];
    }>, { 201: Json<components['schemas']['Room']>; 400: Err }>;
  };
  '/api/v1/rooms/{id}': {
    get: Op<never, { id: string }, never, { 200: Json<components['schemas']['Room']>; 404: Err }>;
  };
  '/api/v1/public-areas': {
    get: Op<ListQuery & { communityId?: string }, never, never, { 200: Json<Page<components['schemas']['PublicArea']>> }>;
    post: Op<never, never, Json<{ communityId: string; name: string }>, {
      201: Json<components['schemas']['PublicArea']>; 400: Err;
    }>;
  };
  '/api/v1/residents': {
    get: Op<ListQuery & { communityId?: string; roomId?: string; q?: string }, never, never, {
      200: Json<Page<components['schemas']['Resident']>>;
    }>;
    post: Op<never, never, Json<{
      communityId: string; roomId: string; name: string; phone: string;
      salutation?: components['schemas']['Salutation']; kind: components['schemas']['ResidentKind']; notes?: string;
    }>, { 201: Json<components['schemas']['Resident']>; 400: Err }>;
  };
  '/api/v1/residents/{id}': {
    get: Op<never, { id: string }, never, { 200: Json<components['schemas']['Resident']>; 404: Err }>;
  };
  '/api/v1/ticket-categories': {
    get: Op<never, never, never, { 200: Json<{ items: components['schemas']['TicketCategory'][] }> }>;
  };
  '/api/v1/tickets': {
    get: Op<ListQuery & {
      communityId?: string; status?: components['schemas']['TicketStatus']; type?: components['schemas']['TicketType'];
    }, never, never, { 200: Json<Page<components['schemas']['Ticket']>> }>;
    post: {
      parameters: { query?: never; header?: { 'Idempotency-Key'?: string }; path?: never; cookie?: never };
      requestBody: Json<{
        communityId: string; roomId?: string; publicAreaId?: string; residentId?: string;
        callerName?: string; callerPhone?: string; type: components['schemas']['TicketType'];
        channel: components['schemas']['TicketChannel']; priority: components['schemas']['TicketPriority'];
        categoryId?: string; content: string;
      }>;
      responses: { 201: Json<components['schemas']['Ticket']>; 400: Err; 409: Err };
    };
  };
  '/api/v1/tickets/{id}': {
    get: Op<never, { id: string }, never, {
      200: Json<components['schemas']['Ticket'] & { events: components['schemas']['TicketEvent'][] }>; 404: Err;
    }>;
  };
}

export interface components {
  schemas: {
    Error: {
      code: string;
      message: string;
      details: { field: string; message: string }[] | null;
      requestId: string;
    };
    Locale: 'zh-CN' | 'zh-TW' | 'en';
    Role:
      | 'agent' | 'supervisor' | 'manager' | 'quality' | 'steward' | 'technician'
      | 'security' | 'cleaning' | 'greening' | 'cashier' | 'admin';
    Me: {
      id: string; username: string; employeeNo: string; name: string; phone: string | null;
      roles: components['schemas']['Role'][]; communityIds: string[]; allCommunities: boolean;
      locale: components['schemas']['Locale'] | null; mustChangePassword: boolean; csrfToken: string;
    };
    Staff: {
      id: string; username: string; employeeNo: string; name: string; phone: string | null;
      roles: components['schemas']['Role'][]; communityIds: string[]; allCommunities: boolean;
      disabled: boolean; mustChangePassword: boolean; createdAt: string; lastLoginAt: string | null;
    };
    CompanyPublic: { name: string; shortName: string; hotline: string };
    CompanyInput: { name: string; shortName: string; hotline: string; timeZone: string; logoDataUrl: string | null };
    Company: components['schemas']['CompanyInput'] & { updatedAt: string };
    Community: { id: string; name: string; code: string; address: string | null; timeZone: string; createdAt: string };
    Building: { id: string; communityId: string; name: string; code: string | null };
    Unit: { id: string; buildingId: string; communityId: string; name: string };
    RoomStatus: 'occupied' | 'vacant' | 'renovating';
    Room: {
      id: string; communityId: string; buildingId: string; unitId: string; number: string;
      floor: number | null; area: number | null; status: components['schemas']['RoomStatus']; label: string;
    };
    PublicArea: { id: string; communityId: string; name: string };
    Salutation: 'mr' | 'ms';
    ResidentKind: 'owner' | 'tenant' | 'family';
    Resident: {
      id: string; communityId: string; roomId: string; roomLabel: string; name: string; phone: string;
      salutation: components['schemas']['Salutation'] | null; kind: components['schemas']['ResidentKind'];
      notes: string | null; createdAt: string;
    };
    TicketCategory: { id: string; parentId: string | null; name: string; code: string };
    TicketType: 'inquiry' | 'repair' | 'complaint' | 'suggestion' | 'help' | 'praise' | 'emergency';
    TicketChannel: 'phone' | 'walk_in' | 'wechat' | 'app' | 'web' | 'email' | 'patrol' | 'hotline';
    TicketPriority: 'urgent' | 'high' | 'normal' | 'low';
    TicketStatus:
      | 'received' | 'dispatched' | 'accepted' | 'on_site' | 'in_progress' | 'pending' | 'done' | 'closed' | 'cancelled';
    StaffRef: { id: string; name: string; employeeNo: string };
    Ticket: {
      id: string; number: string; communityId: string; communityName: string;
      type: components['schemas']['TicketType']; channel: components['schemas']['TicketChannel'];
      priority: components['schemas']['TicketPriority']; status: components['schemas']['TicketStatus'];
      roomId: string | null; roomLabel: string | null; publicAreaId: string | null; publicAreaName: string | null;
      residentId: string | null; residentName: string | null; callerName: string | null; callerPhone: string | null;
      categoryId: string | null; content: string; createdAt: string; updatedAt: string;
      createdBy: components['schemas']['StaffRef'] | null;
    };
    TicketEvent: {
      id: string; type: string; at: string; actor: components['schemas']['StaffRef'] | null; note: string | null;
    };
  };
}
