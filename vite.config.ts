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
        // Vendors change less often than the console: separate chunks keep browser caches warm.
        codeSplitting: {
          groups: [
            {
              name: 'react',
              test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/,
              priority: 30,
            },
            {
              name: 'antd',
              test: /node_modules[\\/](antd|@ant-design|@rc-component|rc-[\w-]+|@emotion|stylis|dayjs)[\\/]/,
              priority: 20,
            },
            // ECharts (the reports' charts) in a chunk of its own, loaded only by the lazy reports page
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/, priority: 25 },
            // pinyin-pro (about 300 kB) is loaded on first use by the intake form, ECharts by the
            // reports: keep them out of what every page loads
            {
              name: 'vendor',
              test: /node_modules[\\/](?!pinyin-pro[\\/]|echarts[\\/]|zrender[\\/])/,
              priority: 10,
            },
          ],
        },
      },
    },
  },
});
