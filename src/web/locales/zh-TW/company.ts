import type { Messages } from '../zh-CN';

export const company: Messages['company'] = {
  title: '公司資訊',
  name: '公司名稱',
  shortName: '簡稱',
  shortNameHint: '用於簡訊與頁面抬頭，如 海悅物業',
  hotline: '服務專線',
  timeZone: '時區',
  logo: '公司標誌',
  logoHint: 'PNG、JPG 或 SVG，不超過 200 KB',
  upload: '上傳圖片',
  remove: '移除',
  logoTooLarge: '圖片不能超過 200 KB，請壓縮後再上傳',
  logoNotImage: '請選擇圖片檔案',
  updatedAt: '最近修改：{time}',
};
