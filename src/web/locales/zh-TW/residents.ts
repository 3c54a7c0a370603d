import type { Messages } from '../zh-CN';

export const residents: Messages['residents'] = {
  title: '住戶',
  new: '新增住戶',
  searchPlaceholder: '搜尋姓名、手機號碼、末四碼或房號（如 3-2-1502）',
  name: '姓名',
  phone: '手機號碼',
  room: '房屋',
  community: '社區',
  salutation: {
    label: '稱呼',
    mr: '先生',
    ms: '小姐',
  },
  kind: {
    label: '身分',
    owner: '業主',
    tenant: '租戶',
    family: '家屬',
  },
  notes: '備註',
  notesPlaceholder: '如 獨居長者，來電請耐心',
  createdAt: '建檔時間',
  empty: '還沒有住戶資料，點選「新增住戶」登記業主或租戶。',
  emptySearch: '找不到符合的住戶，換個關鍵字，或點選「新增住戶」登記。',
  created: '住戶 {name} 已登記',
  phoneInvalid: '請輸入正確的手機號碼',
};
