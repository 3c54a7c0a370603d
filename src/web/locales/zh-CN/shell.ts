export const shell = {
  menu: {
    tickets: '工单',
    registry: '小区/楼栋/房屋',
    residents: '住户',
    staff: '员工管理',
    company: '公司信息',
    password: '修改密码',
  },
  community: '当前小区',
  allCommunities: '全部小区',
  noCommunity: '暂无可用小区',
  employeeNo: '工号 {no}',
  logout: '退出登录',
  loggedOut: '已退出登录',
  userMenu: '个人菜单',
  collapse: '收起菜单',
  expand: '展开菜单',
};
