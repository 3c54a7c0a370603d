import type { TicketChannel, TicketType } from '../../../domain/tickets.js';

/**
 * What the large-operator generator (bulk.ts) draws from: names, numbers, community names and the
 * texts of requests, completion reports and holds — all as a Chinese property company's desk
 * would write them. Pure data and a seeded PRNG; no I/O.
 */

/** mulberry32 with a few helpers: one seed, one sequence, on every machine. */
export class Random {
  private a: number;
  constructor(seed: number) {
    this.a = seed >>> 0;
  }
  next(): number {
    this.a = (this.a + 0x6d2b79f5) >>> 0;
    let t = this.a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** 32 random bits. */
  bits(): number {
    return Math.floor(this.next() * 4294967296) >>> 0;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  /** Exponentially distributed, with this mean. */
  exp(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }
  /** Standard normal (Box–Muller). */
  normal(): number {
    return Math.sqrt(-2 * Math.log(1 - this.next())) * Math.cos(2 * Math.PI * this.next());
  }
}

/** Picks by weight in O(log n): cumulative weights built once. */
export class Weighted<T> {
  private readonly cumulative: number[] = [];
  private readonly total: number;
  constructor(
    readonly items: readonly T[],
    weights: readonly number[],
  ) {
    let sum = 0;
    for (const w of weights) {
      sum += w;
      this.cumulative.push(sum);
    }
    this.total = sum;
  }
  pick(random: Random): T {
    const r = random.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid]! > r) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo]!;
  }
}

export function weighted<T>(pairs: readonly (readonly [T, number])[]): Weighted<T> {
  return new Weighted(
    pairs.map((p) => p[0]),
    pairs.map((p) => p[1]),
  );
}

/** Whole numbers proportional to `weights` that add up to exactly `total` (largest remainder). */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0 || total <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const whole = exact.map(Math.floor);
  let left = total - whole.reduce((a, b) => a + b, 0);
  const order = exact
    .map((x, i) => [x - Math.floor(x), i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) whole[order[k]![1]]!++;
  return whole;
}

// ---- people -------------------------------------------------------------------------------

/** Common surnames, most frequent first (王, 李, 张 are each about 7% of the population). */
export const SURNAMES = [
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤',
  '欧阳',
  '司马',
  '诸葛',
];
export const SURNAME_WEIGHTS = SURNAMES.map((s, rank) => (s.length === 2 ? 0.02 : 1 / (rank + 2) ** 0.85));

export const MALE_GIVEN = [
  ...['建国', '伟', '强', '磊', '军', '洋', '勇', '杰', '涛', '明', '超', '刚', '平', '辉', '鹏', '华'],
  ...['飞', '鑫', '波', '斌', '宇', '浩', '凯', '健', '俊', '志强', '文博', '子轩', '浩然', '宇航'],
  ...['天佑', '国栋', '海峰', '建华', '振华', '德明', '永刚', '晓东', '立新', '国强', '家豪', '博文'],
  ...['志明', '俊杰', '建军', '晨阳', '一鸣', '思远', '子健', '睿', '泽宇', '嘉诚', '国华', '金龙'],
  ...['卫东', '红军', '建平', '长青', '永福', '宏伟', '明辉', '少华', '云飞', '立军', '春生', '德华'],
];
export const FEMALE_GIVEN = [
  ...['秀英', '芳', '娜', '敏', '静', '丽', '艳', '娟', '霞', '玲', '桂英', '丹', '萍', '红', '玉兰'],
  ...['婷', '雪', '慧', '颖', '琳', '晶', '欣怡', '梓涵', '诗琪', '雨桐', '佳怡', '思雨', '晓燕'],
  ...['美玲', '淑芬', '秀兰', '丽华', '春梅', '海燕', '文静', '梦瑶', '若曦', '子涵', '雅琴', '凤英'],
  ...['晓红', '玉梅', '丽娟', '慧敏', '佳琪', '紫涵', '雨欣', '一诺', '可馨', '芳芳', '彩霞', '素珍'],
  ...['建英', '桂兰', '金凤', '月华', '秋菊', '冬梅', '琴', '倩', '璐', '蕾', '悦', '瑶'],
];

/** Mainland mobile prefixes of the three carriers. */
export const MOBILE_PREFIXES = [
  ...['130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '153'],
  ...['155', '156', '157', '158', '159', '166', '173', '177', '180', '181', '182', '183', '185'],
  ...['186', '187', '188', '189', '191', '198', '199'],
];

/**
 * The n-th mobile number of a dataset: a prefix in turn and 8 digits from an affine map modulo
 * 10^8 (its multiplier is prime to 10), so no two n ever give the same number and the last four
 * digits (尾号) are spread evenly over 0000–9999.
 */
export function mobileNumber(n: number, seed: number): string {
  const prefix = MOBILE_PREFIXES[n % MOBILE_PREFIXES.length]!;
  const k = Math.floor(n / MOBILE_PREFIXES.length);
  const offset = (seed >>> 0) % 100_000_000;
  // 73939133 is prime to 10^8; BigInt keeps k × multiplier exact past 2^53
  const digits = Number((BigInt(k) * 73_939_133n + BigInt(offset)) % 100_000_000n);
  return prefix + String(digits).padStart(8, '0');
}

// ---- communities --------------------------------------------------------------------------

const COMMUNITY_STEMS = [
  ...['阳光', '翠湖', '锦绣', '金色', '碧水', '橡树', '紫荆', '丽景', '御景', '星河', '春江', '天悦'],
  ...['海棠', '枫林', '蓝湾', '绿洲', '明珠', '东方', '世纪', '香樟', '银杏', '荷塘', '云顶', '湖畔'],
  ...['滨江', '梧桐', '雅居', '康桥', '万象', '新城', '瑞景', '华庭', '静安', '长宁', '松江', '嘉和'],
];
const COMMUNITY_SUFFIXES = ['花园', '苑', '家园', '湾', '公馆', '名邸', '雅苑', '新村', '华府', '尚城'];
const DISTRICTS = [
  '上海市浦东新区',
  '上海市闵行区',
  '上海市徐汇区',
  '上海市普陀区',
  '上海市宝山区',
  '上海市嘉定区',
  '上海市松江区',
  '上海市青浦区',
  '上海市杨浦区',
  '上海市长宁区',
];
const ROADS = ['锦绣路', '莲花南路', '龙华西路', '真北路', '牡丹江路', '城中路', '沪松公路', '华漕路'];

/** The i-th community's name and address; past stems × suffixes, phases (二期 …). */
export function communityName(i: number, random: Random): { name: string; address: string } {
  const base = COMMUNITY_STEMS.length * COMMUNITY_SUFFIXES.length;
  // a stride prime to the count walks every stem × suffix once before any repeats
  const k = (i * 37) % base;
  const stem = COMMUNITY_STEMS[k % COMMUNITY_STEMS.length]!;
  const suffix = COMMUNITY_SUFFIXES[Math.floor(k / COMMUNITY_STEMS.length)]!;
  const phase = Math.floor(i / base);
  const phases = ['', '二期', '三期', '四期', '五期', '六期', '七期', '八期', '九期'];
  return {
    name: stem + suffix + (phases[phase] ?? `${phase + 1}期`),
    address: `${random.pick(DISTRICTS)}${random.pick(ROADS)}${random.int(1, 2999)}弄`,
  };
}

export const PUBLIC_AREAS = ['大堂', '电梯', '地下车库', '中心花园', '南门岗亭'] as const;

// ---- requests -----------------------------------------------------------------------------

export interface Template {
  content: string;
  /** A public area by name, or null: the resident's home. */
  area: (typeof PUBLIC_AREAS)[number] | null;
  /** A category of the default tree (migrations foundation and service-requests). */
  category: string;
}

/** {b}: the building; {f}: a floor. */
export const TEMPLATES: Record<TicketType, readonly Template[]> = {
  repair: [
    { content: '卫生间漏水，楼下邻居反映天花板有水渍', area: null, category: 'cat-leak' },
    { content: '阳台地漏返水，洗衣机一排水就漫出来', area: null, category: 'cat-drain' },
    { content: '厨房水龙头一直滴水，关不紧', area: null, category: 'cat-fixture' },
    { content: '客厅插座没电，空气开关推不上去', area: null, category: 'cat-no_power' },
    { content: '家里水压很低，热水器打不着火', area: null, category: 'cat-no_water' },
    { content: '入户门锁坏了，钥匙拧不动', area: null, category: 'cat-door_lock' },
    { content: '卧室窗户关不严，下雨时雨水渗进来', area: null, category: 'cat-window' },
    { content: '厨房下水道堵塞，水排不下去，有异味', area: null, category: 'cat-drain' },
    { content: '外墙渗水，卧室墙面发霉起皮', area: null, category: 'cat-leak' },
    { content: '{b}{f}楼楼道灯不亮，晚上看不清台阶', area: null, category: 'cat-lighting' },
    { content: '{b}单元门禁刷卡没反应，需要人工开门', area: null, category: 'cat-access_gate' },
    { content: '{b}电梯运行时有异响，轿厢晃动', area: '电梯', category: 'cat-elevator_fault' },
    { content: '地下车库B区照明灯坏了好几盏', area: '地下车库', category: 'cat-lighting' },
    { content: '中心花园的健身器材松动，存在安全隐患', area: '中心花园', category: 'cat-facility' },
    { content: '大堂自动门关不上，一直开着', area: '大堂', category: 'cat-access_gate' },
  ],
  complaint: [
    { content: '邻居装修噪音扰民，中午和晚上也在施工', area: null, category: 'cat-renovation' },
    { content: '楼上住户深夜噪音很大，多次沟通无果', area: null, category: 'cat-neighbour_noise' },
    { content: '垃圾清运不及时，{b}楼下垃圾桶有异味', area: null, category: 'cat-garbage' },
    { content: '楼道里堆放杂物很久了，多次反映没人清理', area: null, category: 'cat-cleaning' },
    { content: '地下车库有车辆长期占用消防通道', area: '地下车库', category: 'cat-fire_safety' },
    { content: '中心花园有人遛狗不牵绳，还随地大小便', area: '中心花园', category: 'cat-pets' },
    { content: '南门岗亭保安态度生硬，访客登记等待很久', area: '南门岗亭', category: 'cat-stranger' },
    { content: '外来车辆占用业主车位，保安不处理', area: '地下车库', category: 'cat-parking' },
    { content: '报修三天了还没有人上门，要求给个说法', area: null, category: 'cat-other' },
  ],
  inquiry: [
    { content: '咨询物业费缴纳方式，能否在线缴纳', area: null, category: 'cat-fee_question' },
    { content: '咨询装修申请需要准备哪些材料', area: null, category: 'cat-other' },
    { content: '咨询停车月卡怎么办理，费用多少', area: '地下车库', category: 'cat-fee_question' },
    { content: '咨询本月水电费什么时候可以缴纳', area: null, category: 'cat-fee_question' },
    { content: '咨询快递代收点的位置和开放时间', area: '大堂', category: 'cat-other' },
    { content: '需要开具去年物业费的发票', area: null, category: 'cat-invoice' },
    { content: '咨询小区什么时候停水检修', area: null, category: 'cat-no_water' },
  ],
  suggestion: [
    { content: '建议在中心花园增加儿童游乐设施', area: '中心花园', category: 'cat-greening' },
    { content: '建议在地下车库增设电动车充电桩', area: '地下车库', category: 'cat-parking' },
    { content: '建议在南门增设快递柜', area: '南门岗亭', category: 'cat-other' },
    { content: '建议增加垃圾分类投放的指引牌', area: null, category: 'cat-garbage' },
    { content: '建议定期修剪{b}楼前的树木，挡住了采光', area: null, category: 'cat-pruning' },
  ],
  help: [
    { content: '老人出门忘带钥匙，被锁在门外，请帮忙联系开锁', area: null, category: 'cat-door_lock' },
    { content: '家中老人摔倒，家属不在身边，请派人协助', area: null, category: 'cat-other' },
    { content: '搬家需要借用手推车', area: '大堂', category: 'cat-other' },
    { content: '车辆电瓶没电，请协助搭电', area: '地下车库', category: 'cat-parking' },
    { content: '家里有陌生人敲门，请保安过来看看', area: null, category: 'cat-stranger' },
  ],
  praise: [
    { content: '表扬维修师傅上门及时、服务热情，问题一次解决', area: null, category: 'cat-other' },
    { content: '感谢南门保安帮忙找回丢失的钱包', area: '南门岗亭', category: 'cat-stranger' },
    { content: '感谢保洁阿姨把{b}楼道打扫得很干净', area: null, category: 'cat-cleaning' },
  ],
  // no lift entrapments: those follow the playbook of R16, which this generator does not play
  emergency: [
    { content: '家中水管爆裂，大量漏水，需要立即关闸', area: null, category: 'cat-leak' },
    { content: '闻到家中燃气味道很重，请立即派人', area: null, category: 'cat-fire_safety' },
    { content: '地下车库积水，水位还在上涨', area: '地下车库', category: 'cat-drain' },
    { content: '{b}配电箱冒烟，整栋楼停电', area: null, category: 'cat-no_power' },
  ],
};

/** Found on patrol (巡查发现): reported by security or cleaning staff, about a public area. */
export const PATROL_TEMPLATES: readonly Template[] = [
  { content: '巡查发现中心花园喷灌水管破裂', area: '中心花园', category: 'cat-facility' },
  { content: '巡查发现地下车库消防指示灯不亮', area: '地下车库', category: 'cat-fire_safety' },
  { content: '巡查发现大堂地面破损，有绊倒风险', area: '大堂', category: 'cat-facility' },
  { content: '巡查发现电梯应急电话无法接通', area: '电梯', category: 'cat-elevator_fault' },
];

/** Relative share of each type among requests (weights, not percentages). */
export const TYPE_WEIGHTS: readonly (readonly [TicketType, number])[] = [
  ['repair', 40],
  ['inquiry', 22],
  ['complaint', 12],
  ['help', 8],
  ['suggestion', 6],
  ['praise', 5],
  ['emergency', 2],
];

/** Which channels each type arrives by (phone is how most requests come in). */
export const CHANNELS_BY_TYPE: Record<TicketType, readonly (readonly [TicketChannel, number])[]> = {
  inquiry: [
    ['phone', 5],
    ['walk_in', 2],
    ['wechat', 3],
    ['app', 1],
    ['web', 1],
    ['email', 1],
  ],
  repair: [
    ['phone', 6],
    ['walk_in', 2],
    ['wechat', 3],
    ['app', 2],
    ['web', 1],
    ['patrol', 1],
    ['hotline', 0.5],
  ],
  complaint: [
    ['phone', 5],
    ['walk_in', 2],
    ['wechat', 2],
    ['app', 1],
    ['email', 1],
    ['hotline', 2],
  ],
  suggestion: [
    ['walk_in', 1],
    ['wechat', 2],
    ['app', 2],
    ['web', 1],
    ['email', 1],
  ],
  help: [
    ['phone', 4],
    ['walk_in', 2],
    ['wechat', 1],
  ],
  praise: [
    ['phone', 2],
    ['walk_in', 2],
    ['wechat', 2],
    ['app', 1],
    ['email', 1],
  ],
  emergency: [
    ['phone', 5],
    ['walk_in', 1],
  ],
};

/** The team kind that does the work of a first-level category. */
export const TEAM_OF_CATEGORY: Record<string, 'repair' | 'security' | 'cleaning' | 'greening' | 'service'> = {
  'cat-water_power': 'repair',
  'cat-doors_windows': 'repair',
  'cat-elevator': 'repair',
  'cat-public_area': 'repair',
  'cat-security': 'security',
  'cat-sanitation': 'cleaning',
  'cat-greening': 'greening',
  'cat-noise': 'service',
  'cat-neighbours': 'service',
  'cat-fees': 'service',
  'cat-other': 'service',
};

/** What the worker writes in the completion report (R10), by team kind. */
export const REPORTS: Record<string, readonly { cause: string; work: string; parts: string | null }[]> = {
  repair: [
    { cause: '角阀老化漏水', work: '更换角阀并试水，无渗漏', parts: '角阀1个' },
    { cause: '下水管道被油污堵塞', work: '疏通管道并冲洗，排水通畅', parts: null },
    { cause: '空气开关老化跳闸', work: '更换空气开关，恢复供电', parts: '空气开关1个' },
    { cause: '锁芯磨损', work: '更换锁芯并配钥匙3把', parts: '锁芯1个' },
    { cause: '窗户密封条老化', work: '更换密封条，关闭严密', parts: '密封条4米' },
    { cause: '灯具镇流器损坏', work: '更换灯具，照明恢复', parts: 'LED灯1套' },
    { cause: '门禁读卡器接线松动', work: '重新接线并测试，刷卡正常', parts: null },
  ],
  security: [
    { cause: '外来车辆违规停放', work: '联系车主挪车，加强巡查', parts: null },
    { cause: '访客登记流程不清', work: '现场核实并引导登记，已向住户说明', parts: null },
  ],
  cleaning: [
    { cause: '清运车辆延误', work: '已安排加派清运并清洗垃圾桶', parts: null },
    { cause: '楼道杂物无人认领', work: '张贴通知后清理杂物', parts: null },
  ],
  greening: [{ cause: '树木生长过密', work: '修剪枝叶并清运', parts: null }],
  service: [
    { cause: '住户间沟通不畅', work: '上门协调双方，已达成一致', parts: null },
    { cause: '装修时间不符合规定', work: '已约谈装修方，告知施工时间规定', parts: null },
    { cause: '住户咨询相关事项', work: '已电话答复并告知办理流程', parts: null },
  ],
};

export const ADVICE = ['请注意定期检查', '如再有问题请及时联系管家', '建议避免往下水道倾倒油污', null, null];

/** The desk's answers to inquiries, suggestions and praise (answered and closed at once). */
export const ANSWERS: Record<string, readonly string[]> = {
  inquiry: [
    '已告知住户可通过微信公众号在线缴纳，也可到客服中心办理',
    '已告知所需材料：装修申请表、施工图纸、施工单位资质复印件',
    '已告知办理地点在客服中心，月卡每月300元',
    '已告知代收点位于大堂东侧，开放时间8:00-20:00',
    '已为住户开具发票并告知领取方式',
  ],
  suggestion: ['感谢您的建议，已转交相关部门评估，结果将及时告知您', '建议已记录，将在业主恳谈会上讨论'],
  praise: ['感谢您的认可，已转达给相关同事', '感谢表扬，我们会继续努力'],
  help: ['已协助处理完毕'],
};

export const CANCEL_REASONS = [
  '住户已自行处理',
  '重复报事，已合并处理',
  '住户来电取消',
  '非物业服务范围，已向住户解释',
];

export const HOLDS: readonly {
  reason: string;
  nextStep: string;
  pauseReason: 'resident_unavailable' | 'waiting_parts' | 'waiting_contractor' | null;
}[] = [
  { reason: '等待配件到货', nextStep: '配件到货后上门更换', pauseReason: 'waiting_parts' },
  { reason: '住户外出，约定周末上门', nextStep: '周末上门维修', pauseReason: 'resident_unavailable' },
  { reason: '需电梯维保单位处理', nextStep: '维保单位到场后处理', pauseReason: 'waiting_contractor' },
  { reason: '需与邻居协商后处理', nextStep: '协调双方后上门', pauseReason: null },
];
