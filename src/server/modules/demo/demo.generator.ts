import type { CareMark } from '../../../domain/names.js';
import type { Role } from '../../../domain/roles.js';
import type { TicketChannel, TicketPriority, TicketType } from '../../../domain/tickets.js';
import type { Services } from '../../app.js';
import { systemContext } from '../../platform/context.js';
import type { RoomStatus } from '../registry/registry.service.js';
import type { RESIDENT_KINDS, SALUTATIONS } from '../residents/residents.service.js';

/**
 * The demo company (演示数据): a property company with its communities, buildings, rooms,
 * residents, staff of every role and a few dozen requests. Everything goes through the real
 * services with the system context, so it is validated and audited like real input.
 *
 * One seed gives one dataset: a plan (names, phones, structure) is drawn from a seeded PRNG
 * first and only then written, so the order in which writes finish never changes the data.
 * The same function loads the large datasets of the benchmarks (bench/run.ts).
 */

/** The password of every demo user; printed by `npm run demo`. */
export const DEMO_PASSWORD = 'Demo2026!';

export const DEMO_COMPANY = {
  name: '安居物业服务有限公司',
  shortName: '安居物业',
  hotline: '400-820-1234',
  timeZone: 'Asia/Shanghai',
} as const;

/** Communities in the order they are used; past the end, phases (二期, 三期…) of the same ones. */
const COMMUNITY_NAMES: readonly { name: string; code: string; address: string }[] = [
  { name: '阳光花园', code: 'YGHY', address: '上海市浦东新区锦绣路1888弄' },
  { name: '翠湖苑', code: 'CHY', address: '上海市闵行区莲花南路1200弄' },
  { name: '锦绣华庭', code: 'JXHT', address: '上海市徐汇区龙华西路388弄' },
  { name: '金色家园', code: 'JSJY', address: '上海市普陀区真北路2555弄' },
  { name: '碧水湾', code: 'BSW', address: '上海市宝山区牡丹江路999弄' },
  { name: '橡树湾', code: 'XSW', address: '上海市嘉定区城中路66弄' },
];
const PHASES = ['', '二期', '三期', '四期', '五期', '六期', '七期', '八期', '九期'];

export const DEMO_PUBLIC_AREAS = ['大堂', '电梯', '地下车库', '中心花园', '南门岗亭'] as const;

export interface DemoOptions {
  /** Same seed, same dataset. */
  seed: number;
  communities: number;
  buildingsPerCommunity: number;
  unitsPerBuilding: number;
  /** Rooms are on floors 2..floors (the ground floor holds the lobby and shops). */
  floors: number;
  doorsPerFloor: number;
  /** Share of rooms that are lived in (已入住); a few more are being renovated, the rest vacant. */
  occupancy: number;
  /** Stop adding residents past this many (null: no cap). */
  maxResidents: number | null;
  tickets: number;
  /** Staff of every role with the demo password, ready to log in. */
  staff: boolean;
  password: string;
  /** Writes in flight at once (PostgreSQL profits from a few; SQLite does not mind). */
  concurrency: number;
  /** Called after each phase and every few hundred records. */
  onProgress?: (phase: string, done: number, total: number) => void;
}

export const DEFAULT_DEMO_OPTIONS: Omit<DemoOptions, 'onProgress'> = {
  seed: 20261130,
  communities: 2,
  buildingsPerCommunity: 4,
  unitsPerBuilding: 2,
  floors: 18,
  doorsPerFloor: 2,
  occupancy: 0.7,
  maxResidents: null,
  tickets: 40,
  staff: true,
  password: DEMO_PASSWORD,
  concurrency: 4,
};

export interface DemoStaffLogin {
  username: string;
  employeeNo: string;
  name: string;
  roles: Role[];
  /** Codes of the communities they see, or 'all'. */
  communities: string[] | 'all';
}

export interface DemoResult {
  /** True when the demo communities were there already: nothing was written. */
  alreadyPresent: boolean;
  communities: { id: string; code: string; name: string }[];
  counts: {
    buildings: number;
    units: number;
    rooms: number;
    publicAreas: number;
    residents: number;
    staff: number;
    tickets: number;
  };
  /** Every resident written, for benchmarks and tests. */
  residents: { id: string; communityId: string; roomId: string; name: string; phone: string }[];
  staff: DemoStaffLogin[];
  /** Staff usernames that existed already and were left alone. */
  skippedStaff: string[];
  password: string;
  elapsedMs: number;
}

// ---------------------------------------------------------------------------------------------
// Seeded randomness

/** mulberry32: a tiny 32-bit PRNG, good enough for test data and fully reproducible. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Random {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
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
  /** Picks by weight; `weights` has one entry per item. */
  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    const total = weights.reduce((a, b) => a + b, 0);
    let r = this.next() * total;
    for (let i = 0; i < items.length; i++) {
      r -= weights[i]!;
      if (r < 0) return items[i]!;
    }
    return items[items.length - 1]!;
  }
}

// ---------------------------------------------------------------------------------------------
// People

/** Common surnames, most frequent first (王 and 李 are each about 7% of the population). */
const SURNAMES = [
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤',
];
const SURNAME_WEIGHTS = SURNAMES.map((_, rank) => 1 / (rank + 2) ** 0.85);

const MALE_NAMES = [
  ...['建国', '伟', '强', '磊', '军', '洋', '勇', '杰', '涛', '明', '超', '刚', '平', '辉', '鹏', '华'],
  ...['飞', '鑫', '波', '斌', '宇', '浩', '凯', '健', '俊', '志强', '文博', '子轩', '浩然', '宇航'],
  ...['天佑', '国栋', '海峰', '建华', '振华', '德明', '永刚', '晓东', '立新', '国强', '家豪', '博文'],
];
const FEMALE_NAMES = [
  ...['秀英', '芳', '娜', '敏', '静', '丽', '艳', '娟', '霞', '玲', '桂英', '丹', '萍', '红', '玉兰'],
  ...['婷', '雪', '慧', '颖', '琳', '晶', '欣怡', '梓涵', '诗琪', '雨桐', '佳怡', '思雨', '晓燕'],
  ...['美玲', '淑芬', '秀兰', '丽华', '春梅', '海燕', '文静', '梦瑶', '若曦', '子涵', '雅琴', '凤英'],
];

/** Mainland mobile prefixes of the three carriers, the common ones. */
const MOBILE_PREFIXES = [
  ...['130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '153'],
  ...['155', '156', '157', '158', '159', '166', '173', '177', '180', '181', '182', '183', '185'],
  ...['186', '187', '188', '189', '191', '198', '199'],
];

interface Person {
  name: string;
  salutation: (typeof SALUTATIONS)[number];
}

class People {
  private readonly phones = new Set<string>();
  constructor(private readonly random: Random) {}

  person(surname?: string): Person {
    const male = this.random.chance(0.5);
    const given = this.random.pick(male ? MALE_NAMES : FEMALE_NAMES);
    return {
      name: (surname ?? this.random.weighted(SURNAMES, SURNAME_WEIGHTS)) + given,
      salutation: male ? 'mr' : 'ms',
    };
  }

  /** A mobile number (1[3-9] + 9 digits) nobody else in the dataset has. */
  phone(): string {
    for (;;) {
      const phone =
        this.random.pick(MOBILE_PREFIXES) + String(this.random.int(0, 99_999_999)).padStart(8, '0');
      if (!this.phones.has(phone)) {
        this.phones.add(phone);
        return phone;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The plan

interface PlannedResident extends Person {
  /** The first is the one the desk calls; some owners leave a second. */
  phones: string[];
  kind: (typeof RESIDENT_KINDS)[number];
  /** R5: residents who need extra care. */
  care: CareMark[];
}
interface PlannedRoom {
  number: string;
  floor: number;
  area: number;
  status: RoomStatus;
  residents: PlannedResident[];
}
interface PlannedCommunity {
  name: string;
  code: string;
  address: string;
  buildings: { name: string; units: { name: string; rooms: PlannedRoom[] }[] }[];
}
interface PlannedStaff {
  username: string;
  employeeNo: string;
  name: string;
  phone: string;
  roles: Role[];
  /** Indexes of planned communities, or 'all'. */
  communities: number[] | 'all';
}
interface PlannedTicket {
  community: number;
  type: TicketType;
  channel: TicketChannel;
  /** A hotline order's number on the 12345 platform. */
  externalRef: string | null;
  emergency: { kind: 'lift_entrapment'; lift: string; floor: string; people: number } | null;
  priority: TicketPriority;
  categoryId: string;
  content: string;
  /** A public area by name, or the resident's own room. */
  area: string | null;
  /** Index into the community's residents, or null for a caller who is not a resident. */
  resident: number | null;
  caller: { name: string; phone: string } | null;
}

/** How many of each role; the n-th of a role works in community n mod the number of communities. */
const STAFF_PLAN: readonly [Role, number][] = [
  ['agent', 4],
  ['supervisor', 2],
  ['manager', 1],
  ['quality', 1],
  ['steward', 2],
  ['technician', 3],
  ['security', 2],
  ['cleaning', 2],
  ['greening', 1],
  ['cashier', 1],
  ['admin', 1],
];

interface TicketTemplate {
  content: string;
  /** Public area the request is about; null: the resident's home. */
  area: string | null;
  category: string;
}

/** {b} is the building of the resident who reports, {f} a floor. */
const TEMPLATES: Record<TicketType, readonly TicketTemplate[]> = {
  repair: [
    { content: '卫生间漏水，楼下邻居反映天花板有水渍', area: null, category: 'water_power' },
    { content: '厨房水龙头一直滴水，关不紧', area: null, category: 'water_power' },
    { content: '客厅插座没电，空气开关推不上去', area: null, category: 'water_power' },
    { content: '入户门锁坏了，钥匙拧不动', area: null, category: 'doors_windows' },
    { content: '卧室窗户关不严，下雨时漏水', area: null, category: 'doors_windows' },
    { content: '厨房下水道堵塞，水排不下去', area: null, category: 'water_power' },
    { content: '{b}{f}楼楼道灯不亮，晚上看不清台阶', area: null, category: 'public_area' },
    { content: '{b}电梯按钮失灵，按了没有反应', area: '电梯', category: 'elevator' },
    { content: '地下车库B区照明灯坏了好几盏', area: '地下车库', category: 'public_area' },
    { content: '大堂门禁刷卡没反应，需要人工开门', area: '大堂', category: 'doors_windows' },
  ],
  complaint: [
    { content: '邻居装修噪音扰民，中午和晚上也在施工', area: null, category: 'noise' },
    { content: '楼上住户深夜噪音很大，多次沟通无果', area: null, category: 'noise' },
    { content: '垃圾清运不及时，{b}楼下垃圾桶有异味', area: null, category: 'sanitation' },
    { content: '地下车库有车辆长期占用消防通道', area: '地下车库', category: 'security' },
    { content: '中心花园有人遛狗不牵绳，还随地大小便', area: '中心花园', category: 'neighbours' },
    { content: '南门岗亭保安态度生硬，访客登记等待很久', area: '南门岗亭', category: 'security' },
  ],
  inquiry: [
    { content: '咨询物业费缴纳方式，能否在线缴纳', area: null, category: 'fees' },
    { content: '咨询装修申请需要准备哪些材料', area: null, category: 'other' },
    { content: '咨询停车月卡怎么办理，费用多少', area: '地下车库', category: 'fees' },
    { content: '咨询本月水电费什么时候可以缴纳', area: null, category: 'fees' },
    { content: '咨询快递代收点的位置和开放时间', area: '大堂', category: 'other' },
  ],
  suggestion: [
    { content: '建议在中心花园增加儿童游乐设施', area: '中心花园', category: 'greening' },
    { content: '建议在地下车库增设电动车充电桩', area: '地下车库', category: 'public_area' },
    { content: '建议在南门增设快递柜', area: '南门岗亭', category: 'other' },
    { content: '建议增加垃圾分类投放的指引牌', area: null, category: 'sanitation' },
  ],
  help: [
    { content: '老人出门忘带钥匙，被锁在门外，请帮忙联系开锁', area: null, category: 'doors_windows' },
    { content: '家中老人摔倒，家属不在身边，请派人协助', area: null, category: 'other' },
    { content: '搬家需要借用手推车', area: '大堂', category: 'other' },
    { content: '车辆电瓶没电，请协助搭电', area: '地下车库', category: 'other' },
  ],
  praise: [
    { content: '表扬维修师傅上门及时、服务热情，问题一次解决', area: null, category: 'other' },
    { content: '感谢南门保安帮忙找回丢失的钱包', area: '南门岗亭', category: 'security' },
    { content: '感谢保洁阿姨把{b}楼道打扫得很干净', area: null, category: 'sanitation' },
  ],
  emergency: [
    { content: '{b}电梯困人，约2人被困在{f}楼附近', area: '电梯', category: 'elevator' },
    { content: '家中水管爆裂，大量漏水，需要立即关闸', area: null, category: 'water_power' },
    { content: '闻到家中燃气味道很重，请立即派人', area: null, category: 'water_power' },
    { content: '地下车库积水，水位还在上涨', area: '地下车库', category: 'public_area' },
  ],
};

/** Found on patrol (巡查发现): reported by staff, about a public area. */
const PATROL_TEMPLATES: Partial<Record<TicketType, readonly TicketTemplate[]>> = {
  repair: [
    { content: '巡查发现中心花园喷灌水管破裂', area: '中心花园', category: 'greening' },
    { content: '巡查发现地下车库消防指示灯不亮', area: '地下车库', category: 'public_area' },
  ],
  emergency: [{ content: '巡查发现地下车库积水，排水泵未启动', area: '地下车库', category: 'public_area' }],
};

/** Which channels each type arrives by, weighted (phone is how most requests come in). */
const CHANNELS_BY_TYPE: Record<TicketType, readonly [TicketChannel, number][]> = {
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
    ['hotline', 1],
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
    ['patrol', 1],
  ],
};

const TYPE_WEIGHTS: readonly [TicketType, number][] = [
  ['repair', 35],
  ['inquiry', 20],
  ['complaint', 15],
  ['help', 8],
  ['suggestion', 8],
  ['praise', 7],
  ['emergency', 7],
];

/** The first requests cover every type and every channel once; the rest are drawn by weight. */
const COVERAGE: readonly [TicketType, TicketChannel][] = [
  ['emergency', 'phone'],
  ['repair', 'patrol'],
  ['complaint', 'hotline'],
  ['inquiry', 'email'],
  ['suggestion', 'web'],
  ['help', 'walk_in'],
  ['praise', 'app'],
  ['repair', 'wechat'],
];

function communityName(index: number) {
  const base = COMMUNITY_NAMES[index % COMMUNITY_NAMES.length]!;
  const phase = Math.floor(index / COMMUNITY_NAMES.length);
  if (phase >= PHASES.length)
    throw new RangeError(`at most ${COMMUNITY_NAMES.length * PHASES.length} communities`);
  return {
    name: base.name + PHASES[phase],
    code: phase ? `${base.code}${phase + 1}` : base.code,
    address: base.address,
  };
}

function planCommunities(o: DemoOptions, random: Random, people: People): PlannedCommunity[] {
  let residents = 0;
  const communities: PlannedCommunity[] = [];
  for (let c = 0; c < o.communities; c++) {
    const community: PlannedCommunity = { ...communityName(c), buildings: [] };
    for (let b = 1; b <= o.buildingsPerCommunity; b++) {
      const building = { name: `${b}栋`, units: [] as PlannedCommunity['buildings'][number]['units'] };
      for (let u = 1; u <= o.unitsPerBuilding; u++) {
        const rooms: PlannedRoom[] = [];
        for (let floor = 2; floor <= o.floors; floor++) {
          for (let door = 1; door <= o.doorsPerFloor; door++) {
            const roll = random.next();
            const status: RoomStatus =
              roll < o.occupancy ? 'occupied' : roll < o.occupancy + 0.05 ? 'renovating' : 'vacant';
            // the two layouts of a typical tower: a larger and a smaller flat on each floor
            const area = Math.round((door % 2 === 1 ? 128 : 89) * (0.95 + random.next() * 0.1) * 100) / 100;
            const room: PlannedRoom = {
              number: `${floor}${String(door).padStart(2, '0')}`,
              floor,
              area,
              status,
              residents: [],
            };
            if (status !== 'vacant') {
              for (const resident of planHousehold(random, people, status)) {
                if (o.maxResidents !== null && residents >= o.maxResidents) break;
                room.residents.push(resident);
                residents++;
              }
            }
            rooms.push(room);
          }
        }
        building.units.push({ name: `${u}单元`, rooms });
      }
      community.buildings.push(building);
    }
    communities.push(community);
  }
  return communities;
}

/** An owner with family, or tenants; a room being renovated has only its owner on file. */
function planHousehold(random: Random, people: People, status: RoomStatus): PlannedResident[] {
  const member = (kind: PlannedResident['kind'], surname?: string): PlannedResident => ({
    ...people.person(surname),
    phones: [people.phone()],
    kind,
    care: [],
  });
  if (status === 'renovating') return [member('owner')];
  if (random.chance(0.15)) {
    const tenants = [member('tenant')];
    if (random.chance(0.3)) tenants.push(member('tenant'));
    return tenants;
  }
  const owner = member('owner');
  if (random.chance(0.1)) owner.phones.push(people.phone());
  const household = [owner];
  const family = random.weighted([0, 1, 2], [4, 4, 2]);
  // a few owners need extra care: elderly, most of them living alone, or disabled
  const care = random.next();
  if (care < 0.04) owner.care = family === 0 ? ['elderly', 'living_alone'] : ['elderly'];
  else if (care < 0.05) owner.care = ['disabled'];
  for (let i = 0; i < family; i++) {
    // a child shares the family name more often than not; a spouse usually does not
    const surname = random.chance(0.5) ? owner.name[0] : undefined;
    household.push(member('family', surname));
  }
  return household;
}

function planStaff(o: DemoOptions, people: People): PlannedStaff[] {
  const staff: PlannedStaff[] = [];
  let employeeNo = 1001;
  for (const [role, count] of STAFF_PLAN) {
    for (let n = 0; n < count; n++) {
      const everywhere = role === 'quality' || role === 'admin';
      const communities =
        role === 'manager'
          ? Array.from({ length: o.communities }, (_, i) => i)
          : [n % Math.max(o.communities, 1)];
      staff.push({
        username: `${role}${String(n + 1).padStart(2, '0')}`,
        employeeNo: String(employeeNo++),
        name: people.person().name,
        phone: people.phone(),
        roles: [role],
        communities: everywhere ? 'all' : communities,
      });
    }
  }
  return staff;
}

function planTickets(
  o: DemoOptions,
  random: Random,
  people: People,
  residentsPerCommunity: number[],
  staff: PlannedStaff[],
): PlannedTicket[] {
  const tickets: PlannedTicket[] = [];
  const patrollers = staff.filter((s) => s.roles.some((r) => r === 'security' || r === 'cleaning'));
  for (let i = 0; i < o.tickets; i++) {
    const community = i % o.communities;
    let [type, channel] = COVERAGE[i] ?? [random.weighted(...unzip(TYPE_WEIGHTS)), null];
    channel ??= random.weighted(...unzip(CHANNELS_BY_TYPE[type]));
    const patrol = channel === 'patrol' ? PATROL_TEMPLATES[type] : undefined;
    const template = random.pick(patrol ?? TEMPLATES[type]);
    const residentCount = residentsPerCommunity[community] ?? 0;
    let resident: number | null = null;
    let caller: PlannedTicket['caller'] = null;
    if (patrol) {
      const who = patrollers.length ? random.pick(patrollers) : null;
      caller = who
        ? { name: who.name, phone: who.phone }
        : { name: people.person().name, phone: people.phone() };
    } else if (residentCount > 0) {
      resident = random.int(0, residentCount - 1);
    } else {
      caller = { name: people.person().name, phone: people.phone() };
    }
    const priority: TicketPriority =
      type === 'emergency'
        ? 'urgent'
        : type === 'complaint' || type === 'help'
          ? random.pick(['high', 'normal'] as const)
          : type === 'suggestion' || type === 'praise'
            ? 'low'
            : random.weighted(['high', 'normal'] as const, [1, 4]);
    const floor = random.int(2, o.floors);
    const content =
      (channel === 'hotline' ? '【12345市民热线转办】' : '') +
      template.content.replaceAll('{f}', String(floor));
    // a person trapped in a lift follows the playbook (R16): lift, floor and people on record
    const lift = type === 'emergency' && template.category === 'elevator';
    tickets.push({
      community,
      type,
      channel,
      externalRef: channel === 'hotline' ? `12345-${random.int(10_000_000, 99_999_999)}` : null,
      priority,
      categoryId: lift ? 'cat-entrapment' : `cat-${template.category}`,
      emergency: lift ? { kind: 'lift_entrapment', lift: '{b}1号梯', floor: String(floor), people: 2 } : null,
      content,
      area: template.area ?? (resident === null ? DEMO_PUBLIC_AREAS[0] : null),
      resident,
      caller,
    });
  }
  return tickets;
}

function unzip<T>(pairs: readonly (readonly [T, number])[]): [T[], number[]] {
  return [pairs.map((p) => p[0]), pairs.map((p) => p[1])];
}

/** Runs `work` over `items` with at most `limit` in flight, in order of start. */
async function inPool<T>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<void>,
) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

function checkOptions(o: DemoOptions) {
  const whole = (name: keyof DemoOptions, min: number, max: number) => {
    const value = o[name];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
      throw new RangeError(`demo option ${name} must be a whole number from ${min} to ${max}`);
  };
  whole('communities', 1, COMMUNITY_NAMES.length * PHASES.length);
  whole('buildingsPerCommunity', 1, 200);
  whole('unitsPerBuilding', 1, 9);
  whole('floors', 2, 99);
  whole('doorsPerFloor', 1, 99);
  whole('tickets', 0, 1_000_000);
  whole('concurrency', 1, 64);
  if (!(o.occupancy >= 0 && o.occupancy <= 0.95))
    throw new RangeError('demo option occupancy must be 0..0.95');
}

// ---------------------------------------------------------------------------------------------
// Writing

/**
 * Loads the demo company through the services. Idempotent: when any demo community code is
 * already taken, nothing is written and `alreadyPresent` is true.
 */
export async function generateDemo(
  services: Services,
  options: Partial<DemoOptions> = {},
): Promise<DemoResult> {
  const started = performance.now();
  const o: DemoOptions = { ...DEFAULT_DEMO_OPTIONS, ...options };
  checkOptions(o);
  const ctx = systemContext();
  const progress = o.onProgress ?? (() => {});

  // one stream per part, so that e.g. more tickets never change who lives where
  const people = new People(new Random(o.seed));
  const communities = planCommunities(o, new Random(o.seed ^ 0x13579bdf), people);
  const staffPlan = o.staff ? planStaff(o, new People(new Random(o.seed ^ 0x2468ace0))) : [];
  const residentsPerCommunity = communities.map((c) =>
    c.buildings.flatMap((b) => b.units.flatMap((u) => u.rooms)).reduce((n, r) => n + r.residents.length, 0),
  );
  const ticketPlan = planTickets(
    o,
    new Random(o.seed ^ 0x0badf00d),
    people,
    residentsPerCommunity,
    staffPlan,
  );

  const result: DemoResult = {
    alreadyPresent: false,
    communities: [],
    counts: { buildings: 0, units: 0, rooms: 0, publicAreas: 0, residents: 0, staff: 0, tickets: 0 },
    residents: [],
    staff: [],
    skippedStaff: [],
    password: o.password,
    elapsedMs: 0,
  };

  const existing = await existingCommunities(services);
  const present = communities.filter((c) => existing.has(c.code));
  if (present.length) {
    result.alreadyPresent = true;
    result.communities = present.map((c) => ({ id: existing.get(c.code)!, code: c.code, name: c.name }));
    result.elapsedMs = performance.now() - started;
    return result;
  }

  await services.company.ensure();
  const company = await services.company.get();
  // only a company that was never set up gets the demo profile; a real one is left alone
  if (company.name === '物业服务有限公司' && company.hotline === null) {
    await services.company.update(ctx, { ...DEMO_COMPANY, logoDataUrl: null });
  }

  const totalRooms =
    communities.length * o.buildingsPerCommunity * o.unitsPerBuilding * (o.floors - 1) * o.doorsPerFloor;
  const totalResidents = residentsPerCommunity.reduce((a, b) => a + b, 0);
  // per community: residents in plan order, with their room, so tickets can refer to them
  const placed: { id: string; roomId: string; building: string }[][] = [];
  const areasByCommunity: Map<string, string>[] = [];

  for (const [c, plan] of communities.entries()) {
    const community = await services.registry.createCommunity(ctx, {
      name: plan.name,
      code: plan.code,
      address: plan.address,
    });
    result.communities.push({ id: community.id, code: community.code, name: community.name });

    const rooms: { unitId: string; building: string; room: PlannedRoom; index: number }[] = [];
    for (const b of plan.buildings) {
      const building = await services.registry.createBuilding(ctx, {
        communityId: community.id,
        name: b.name,
      });
      result.counts.buildings++;
      for (const u of b.units) {
        const unit = await services.registry.createUnit(ctx, { buildingId: building.id, name: u.name });
        result.counts.units++;
        for (const room of u.rooms)
          rooms.push({ unitId: unit.id, building: b.name, room, index: rooms.length });
      }
    }

    const areas = new Map<string, string>();
    for (const name of DEMO_PUBLIC_AREAS) {
      const area = await services.registry.createPublicArea(ctx, { communityId: community.id, name });
      areas.set(name, area.id);
      result.counts.publicAreas++;
    }
    areasByCommunity.push(areas);

    // residents keep plan order whatever order the writes finish in
    const residentSlots: { room: (typeof rooms)[number]; resident: PlannedResident; slot: number }[] = [];
    for (const r of rooms)
      for (const resident of r.room.residents)
        residentSlots.push({ room: r, resident, slot: residentSlots.length });
    const roomIds: string[] = new Array(rooms.length);
    const residents: { id: string; roomId: string; building: string }[] = new Array(residentSlots.length);

    await inPool(rooms, o.concurrency, async ({ unitId, room, index }) => {
      const created = await services.registry.createRoom(ctx, {
        unitId,
        number: room.number,
        floor: room.floor,
        area: room.area,
        status: room.status,
      });
      roomIds[index] = created.id;
      if (++result.counts.rooms % 500 === 0) progress('rooms', result.counts.rooms, totalRooms);
    });
    progress('rooms', result.counts.rooms, totalRooms);

    await inPool(residentSlots, o.concurrency, async ({ room, resident, slot }) => {
      const created = await services.residents.create(ctx, {
        communityId: community.id,
        roomId: roomIds[room.index]!,
        name: resident.name,
        phones: resident.phones,
        salutation: resident.salutation,
        kind: resident.kind,
        ...(resident.care.length ? { care: resident.care } : {}),
      });
      residents[slot] = { id: created.id, roomId: created.roomId, building: room.building };
      if (++result.counts.residents % 500 === 0)
        progress('residents', result.counts.residents, totalResidents);
    });
    progress('residents', result.counts.residents, totalResidents);
    placed[c] = residents;
    for (const [slot, r] of residents.entries()) {
      const planned = residentSlots[slot]!.resident;
      result.residents.push({
        id: r.id,
        communityId: community.id,
        roomId: r.roomId,
        name: planned.name,
        phone: planned.phones[0]!,
      });
    }
  }

  // argon2 hashes are CPU-bound: two at a time is plenty
  await inPool(staffPlan, 2, async (s) => {
    if (await services.staffRepo.findByLogin(s.username)) {
      result.skippedStaff.push(s.username);
      return;
    }
    let employeeNo = Number(s.employeeNo);
    while (await services.staffRepo.findByLogin(String(employeeNo))) employeeNo += 100;
    const everywhere = s.communities === 'all';
    const created = await services.staff.create(ctx, {
      username: s.username,
      employeeNo: String(employeeNo),
      name: s.name,
      phone: s.phone,
      roles: s.roles,
      communityIds: everywhere ? [] : (s.communities as number[]).map((i) => result.communities[i]!.id),
      allCommunities: everywhere,
      password: o.password,
    });
    // demo users log straight in: the password is published, not chosen by an admin for them
    await services.staffRepo.update(created.id, { must_change_password: 0 });
    result.staff.push({
      username: created.username,
      employeeNo: created.employeeNo,
      name: created.name,
      roles: created.roles,
      communities: everywhere ? 'all' : (s.communities as number[]).map((i) => result.communities[i]!.code),
    });
    result.counts.staff++;
  });
  result.staff.sort((a, b) => a.employeeNo.localeCompare(b.employeeNo));
  if (staffPlan.length) progress('staff', result.counts.staff, staffPlan.length);

  await inPool(ticketPlan, o.concurrency, async (t) => {
    const communityId = result.communities[t.community]!.id;
    // the plan gives every request without a resident a public area, so a room always has one
    const resident = t.resident === null ? null : placed[t.community]![t.resident]!;
    await services.tickets.create(ctx, {
      communityId,
      type: t.type,
      channel: t.channel,
      externalRef: t.externalRef,
      emergency: t.emergency
        ? { ...t.emergency, lift: t.emergency.lift.replaceAll('{b}', resident?.building ?? '1栋') }
        : undefined,
      priority: t.priority,
      categoryId: t.categoryId,
      content: t.content.replaceAll('{b}', resident?.building ?? '1栋'),
      residentId: resident?.id ?? null,
      roomId: t.area === null ? resident!.roomId : null,
      publicAreaId: t.area === null ? null : areasByCommunity[t.community]!.get(t.area)!,
      callerName: t.caller?.name ?? null,
      callerPhone: t.caller?.phone ?? null,
    });
    result.counts.tickets++;
  });
  if (ticketPlan.length) progress('tickets', result.counts.tickets, ticketPlan.length);

  result.elapsedMs = performance.now() - started;
  return result;
}

/** Code → id of every community, across all pages. */
async function existingCommunities(services: Services): Promise<Map<string, string>> {
  const ctx = systemContext();
  const found = new Map<string, string>();
  let cursor: string | undefined;
  do {
    const page = await services.registry.listCommunities(ctx, { cursor, limit: 200 });
    for (const c of page.items) found.set(c.code, c.id);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return found;
}
