import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, unwrapFile } from '../../../api/client';
import type { ImportField, ImportJob } from '../../../api/types';
import { RESIDENTS_KEY } from '../queries';

const importKey = (id: string | undefined) => ['imports', id] as const;
/** How often the wizard asks for progress while a commit runs. */
const POLL_MS = 700;

/** The sheet types the server reads; anything else is sent as bytes and identified there. */
function contentTypeOf(file: File): string {
  const name = file.name.toLowerCase();
  if (name.endsWith('.xlsx')) return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  if (name.endsWith('.csv')) return 'text/csv';
  return 'application/octet-stream';
}

/** The job, polled while its commit runs (R2: a real progress bar, not a spinner). */
export function useImportJob(id: string | undefined) {
  return useQuery({
    queryKey: importKey(id),
    queryFn: () => unwrap(api.GET('/api/v1/imports/{id}', { params: { path: { id: id ?? '' } } })),
    enabled: !!id,
    staleTime: 0,
    refetchInterval: (query) =>
      query.state.data?.status === 'importing' && !query.state.data.stalled ? POLL_MS : false,
  });
}

function useSetJob() {
  const queryClient = useQueryClient();
  return (job: ImportJob) => queryClient.setQueryData(importKey(job.id), job);
}

/** Uploads the sheet as the raw request body; the answer is the job with its dry run. */
export function useUploadSheet() {
  const setJob = useSetJob();
  return useMutation({
    mutationFn: ({ communityId, file }: { communityId: string; file: File }) =>
      unwrap(
        api.POST('/api/v1/imports', {
          params: { query: { communityId, fileName: file.name } },
          // openapi-fetch types a binary body as a string: the serializer hands fetch the file itself
          body: '',
          bodySerializer: () => file,
          headers: { 'content-type': contentTypeOf(file) },
        }),
      ),
    onSuccess: setJob,
  });
}

/** Changes how columns are read (or whether missing places are created); the dry run runs again. */
export function useRemap() {
  const setJob = useSetJob();
  return useMutation({
    mutationFn: ({
      job,
      columns,
      createMissing,
    }: {
      job: ImportJob;
      columns?: { index: number; field: ImportField | null }[];
      createMissing?: boolean;
    }) =>
      unwrap(
        api.PUT('/api/v1/imports/{id}/mapping', {
          params: { path: { id: job.id } },
          body: { revision: job.revision, columns: columns ?? [], createMissing },
        }),
      ),
    onSuccess: setJob,
  });
}

/** Starts (or resumes) the commit of the reviewed revision; the server answers at once. */
export function useCommitImport() {
  const setJob = useSetJob();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (job: ImportJob) =>
      unwrap(
        api.POST('/api/v1/imports/{id}/commit', {
          params: { path: { id: job.id } },
          body: { revision: job.revision },
        }),
      ),
    onSuccess: (job) => {
      setJob(job);
      return queryClient.invalidateQueries({ queryKey: importKey(job.id) });
    },
  });
}

export function useDownloadTemplate() {
  return useMutation({
    mutationFn: () =>
      unwrapFile(api.GET('/api/v1/imports/template.xlsx', { parseAs: 'blob' }), 'template.xlsx'),
  });
}

export function useDownloadReport() {
  return useMutation({
    mutationFn: (id: string) =>
      unwrapFile(
        api.GET('/api/v1/imports/{id}/report.xlsx', { params: { path: { id } }, parseAs: 'blob' }),
        'report.xlsx',
      ),
  });
}

/** The residents of a community with full phones, as .xlsx (audited on the server, R4). */
export function useExportResidents() {
  return useMutation({
    mutationFn: (communityId: string) =>
      unwrapFile(
        api.GET('/api/v1/residents/export.xlsx', { params: { query: { communityId } }, parseAs: 'blob' }),
        'residents.xlsx',
      ),
  });
}

/** After a commit the residents list and the registry counts are stale. */
export function useRefreshAfterImport() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: RESIDENTS_KEY }),
      queryClient.invalidateQueries({ queryKey: ['rooms'] }),
      queryClient.invalidateQueries({ queryKey: ['community'] }),
    ]);
}
