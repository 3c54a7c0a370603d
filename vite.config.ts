import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const repoRoot = fileURLToPath(new URL('.', import.meta.url));
// The dev server forwards these to the API server started with `npm start` (PORT 3000 by default).
const apiTarget = process.env.ESTATEDESK_API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: resolve(repoRoot, 'src/web'),
  base: '/',
  plugins: [react()],
  server: {
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
      '/docs': { target: apiTarget, changeOrigin: false },
      '/healthz': { target: apiTarget, changeOrigin: false },
    },
  },
  build: {
    outDir: resolve(repoRoot, 'dist/web'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      output: {
        // React changes less often than the console: its own chunk keeps browser caches warm. antd
        // is not forced into one chunk: each page's chunk gets the antd code it uses, and the
        // bundler puts what pages share in shared chunks (issue 9: console first load ≤ 350 KB).
        codeSplitting: {
          groups: [
            {
              name: 'react',
              test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/,
              priority: 30,
            },
            // ECharts (the reports' charts) in a chunk of its own, loaded only by the lazy reports page
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/, priority: 25 },
          ],
        },
      },
    },
  },
});
