import type { DownloadedFile } from '../api/client';

/** Hands a downloaded file to the browser to save, under the name the server gave it. */
export function saveFile({ blob, fileName }: DownloadedFile): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // give the browser time to start the download before the URL goes
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
