/**
 * Libraries that take long to load and are needed only by some requests: ExcelJS (~0.5 s, for
 * imports and exports) and sharp (~0.2 s, for image thumbnails). They load on first use, once,
 * so a server starts faster and holds less memory until a workbook or a photo comes along.
 */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | null = null;
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = null;
      throw error;
    });
    return loading;
  };
}

export const loadExcelJS = once(async () => (await import('exceljs')).default);
export const loadSharp = once(async () => (await import('sharp')).default);
