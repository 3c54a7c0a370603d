import type { Messages } from '../zh-CN';

export const shell: Messages['shell'] = {
  menu: {
    tickets: '工單',
    registry: '社區/樓棟/房屋',
    residents: '住戶',
    teams: '班組管理',
    staff: '員工管理',
    categories: '工單分類',
    company: '公司資訊',
    password: '修改密碼',
  },
  community: '目前社區',
  allCommunities: '全部社區',
  noCommunity: '暫無可用社區',
  employeeNo: '工號 {no}',
  logout: '登出',
  loggedOut: '已登出',
  userMenu: '個人選單',
  collapse: '收合選單',
  expand: '展開選單',
};
