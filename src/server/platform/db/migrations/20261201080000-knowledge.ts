import type { Kysely } from 'kysely';
import type { DialectName } from '../database.js';
import { timestampType } from '../dialect.js';

/**
 * The knowledge base (知识库, R32) and the standard scripts (标准话术, R28–R31, R35).
 *
 * kb_articles: standard answers, company-wide (community_id null) or a community's own, kept by
 * supervisors with a date by which each must be checked again. The starter set are templates
 * (template = 1): the procedure every service center follows, with the company's own facts
 * (fees, times, places) left as 「请按本公司规定填写」 to fill in — never invented.
 *
 * kb_scripts: one script per stage of a call or a visit, with placeholders ({company},
 * {community}, {agent}, {employeeNo}, {resident}); the wording is the seeds' [002].
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are written against the schema of their own time
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const ts = timestampType(dialect);

  await db.schema
    .createTable('kb_articles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // null: company-wide
    .addColumn('community_id', 'text', (c) => c.references('communities.id'))
    // fees | parking | renovation | move_in | outage | lost_card | other
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('question', 'text', (c) => c.notNull())
    .addColumn('answer', 'text', (c) => c.notNull())
    // JSON array of strings
    .addColumn('keywords', 'text', (c) => c.notNull().defaultTo('[]'))
    // 1: a starter template whose placeholders are still to be filled in
    .addColumn('template', 'integer', (c) => c.notNull().defaultTo(0))
    // YYYY-MM-DD: due for review on or after this day; null: never reviewed (due now)
    .addColumn('review_by', 'text')
    .addColumn('reviewed_at', ts)
    .addColumn('reviewed_by', 'text', (c) => c.references('users.id'))
    // active | archived
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('updated_by', 'text', (c) => c.references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('kb_articles_scope_idx')
    .on('kb_articles')
    .columns(['status', 'community_id', 'category'])
    .execute();

  await db.schema
    .createTable('kb_scripts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // greeting | hold | hold_check | transfer | message | complaint | closing | visit_greeting | visit_closing
    .addColumn('stage', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    // what to do beside what to say (e.g. let the caller hang up first)
    .addColumn('note', 'text')
    .addColumn('updated_by', 'text', (c) => c.references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();

  const now = new Date().toISOString();
  await db
    .insertInto('kb_articles')
    .values(
      STARTER_ARTICLES.map((a, i) => ({
        id: `kb-template-${String(i + 1).padStart(2, '0')}`,
        community_id: null,
        category: a.category,
        question: a.question,
        answer: a.answer,
        keywords: JSON.stringify(a.keywords),
        template: 1,
        review_by: null,
        reviewed_at: null,
        reviewed_by: null,
        status: 'active',
        created_by: null,
        updated_by: null,
        version: 1,
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
  await db
    .insertInto('kb_scripts')
    .values(
      STARTER_SCRIPTS.map((s) => ({
        id: `kb-script-${s.stage}`,
        stage: s.stage,
        title: s.title,
        body: s.body,
        note: s.note,
        updated_by: null,
        version: 1,
        updated_at: now,
      })),
    )
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against the schema of their own time
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('kb_scripts').execute();
  await db.schema.dropTable('kb_articles').execute();
}

const FILL = '请按本公司规定填写';

/** Standard answers every service center gives; the company's own facts are left to fill in. */
const STARTER_ARTICLES: { category: string; question: string; answer: string; keywords: string[] }[] = [
  {
    category: 'fees',
    question: '物业费怎么交？可以在哪里缴纳？',
    answer: `您可以通过以下方式缴纳物业费：\n1. 到客户服务中心前台缴纳（地址和办公时间：【${FILL}】）；\n2. 线上缴纳（公众号/App/小程序名称：【${FILL}】）；\n3. 银行代扣或转账（开户行及账号：【${FILL}】）。\n缴费后如需发票或收据，请向前台或收银员索取。`,
    keywords: ['物业费', '交费', '缴费', '付款', '管理费'],
  },
  {
    category: 'fees',
    question: '物业费的收费标准是多少？包含哪些服务？',
    answer: `物业费按房屋建筑面积计收，标准为【${FILL}】元/平方米·月，收费依据为【${FILL}（物业服务合同及当地物价部门备案文件）】。物业费包含的服务内容以物业服务合同为准，您可以到客户服务中心查阅合同和收费公示。`,
    keywords: ['收费标准', '物业费', '单价', '收费公示'],
  },
  {
    category: 'fees',
    question: '物业费逾期未交会怎样？可以申请延期吗？',
    answer: `物业费的缴纳周期为【${FILL}】。如暂时不便缴纳，请与客户服务中心联系说明情况，我们会按公司规定为您办理（具体办法：【${FILL}】）。逾期的处理按物业服务合同的约定执行。`,
    keywords: ['欠费', '逾期', '催缴', '延期', '滞纳金'],
  },
  {
    category: 'parking',
    question: '怎么办理停车证（月卡）？需要什么材料？',
    answer: `办理车辆月卡请携带以下材料到客户服务中心：\n1. 业主身份证、房产证明或租赁合同；\n2. 机动车行驶证；\n3. 车位产权证明或车位租赁合同（如有）。\n月卡收费标准为【${FILL}】，办理时间为【${FILL}】。车位数量有限时按公司规定的顺序安排。`,
    keywords: ['停车', '停车证', '月卡', '车位', '车辆登记'],
  },
  {
    category: 'parking',
    question: '访客车辆怎么停？临时停车怎么收费？',
    answer: `访客车辆请在岗亭登记后按指引停放在访客车位。临时停车收费标准为【${FILL}】，免费时长为【${FILL}】。如需为访客预约车位，请提前联系客户服务中心。`,
    keywords: ['临时停车', '访客车辆', '停车费', '外来车辆'],
  },
  {
    category: 'renovation',
    question: '装修需要办理什么手续？（装修申报流程）',
    answer: `房屋装修请先到客户服务中心办理装修申报，流程如下：\n1. 业主（或委托装修的住户）携带身份证、房产证明填写《装修申请表》；\n2. 提交装修方案/施工图纸，涉及水电改造、墙体、外立面的须注明；\n3. 装修单位提供营业执照、资质证明，施工人员登记并办理出入证；\n4. 签订《装修管理协议》，按规定缴纳装修押金及相关费用（金额：【${FILL}】）；\n5. 审核通过后领取《装修许可证》，张贴在户门上方可开工。\n审核时间为【${FILL}】个工作日。装修结束后申请验收，验收合格后退还押金。`,
    keywords: ['装修', '装修申报', '装修申请', '装修许可证', '装修押金', '施工'],
  },
  {
    category: 'renovation',
    question: '装修施工时间有什么规定？',
    answer: `为减少对邻居的影响，装修施工须在规定时间内进行：允许施工时间为【${FILL}】；产生噪音的作业（如电钻、切割）只能在【${FILL}】进行；节假日施工规定为【${FILL}】。装修垃圾须袋装后运到指定地点，不得堆放在楼道等公共区域。`,
    keywords: ['装修时间', '施工时间', '噪音', '装修垃圾'],
  },
  {
    category: 'move_in',
    question: '新业主入住（收楼）需要办理什么手续？',
    answer: `办理入住手续请携带：购房合同、业主身份证、入住通知书（如有）。流程如下：\n1. 到客户服务中心核对身份并填写业主资料登记表；\n2. 签署《临时管理规约》及相关文件；\n3. 按规定缴纳相关费用（项目和金额：【${FILL}】）；\n4. 与工作人员一起验房，记录房屋及设备情况；\n5. 领取钥匙、门禁卡和《住户手册》。\n办理时间为【${FILL}】。`,
    keywords: ['入住', '收楼', '交房', '入伙', '领钥匙'],
  },
  {
    category: 'move_in',
    question: '搬家（搬入/搬出）需要登记吗？',
    answer: `需要。搬家请提前【${FILL}】到客户服务中心登记，说明搬家时间和车辆信息；搬出时须由业主确认或办理放行条。搬家请使用指定电梯并做好保护，搬运时间为【${FILL}】。`,
    keywords: ['搬家', '搬入', '搬出', '放行条', '电梯保护'],
  },
  {
    category: 'outage',
    question: '小区计划停水停电会提前通知吗？在哪里看通知？',
    answer: `计划停水、停电我们会至少提前【${FILL}】通知，通知会张贴在各楼栋大堂和电梯内，并通过【${FILL}（短信/公众号/业主群）】发布，写明停水停电的范围、时间和原因。请提前做好储水等准备，停电期间请关闭家中电器开关。`,
    keywords: ['停水', '停电', '停水通知', '停电通知', '计划停水'],
  },
  {
    category: 'outage',
    question: '家里突然停水或停电怎么办？',
    answer: `请先看一下是只有您家停，还是整栋楼都停：\n1. 只有您家停电：请检查家中配电箱的总开关和漏电开关是否跳闸；\n2. 整栋楼或小区停水停电：可能是临时故障或供水供电部门的停水停电，我们会马上核实并通知维修人员处理。\n如不确定，请告诉我们您的房号，我们马上帮您登记并安排人员上门查看。`,
    keywords: ['突然停电', '突然停水', '跳闸', '没水', '没电'],
  },
  {
    category: 'lost_card',
    question: '门禁卡丢失了怎么补办？',
    answer: `门禁卡丢失请尽快告知客户服务中心，我们会先将原卡挂失注销，防止被他人使用。补办请业主本人携带身份证（租户另需业主授权）到客户服务中心办理，补卡费用为【${FILL}】，办理时间为【${FILL}】。`,
    keywords: ['门禁卡', '门禁卡丢失', '补卡', '挂失', '补办门禁'],
  },
  {
    category: 'lost_card',
    question: '停车卡、车库遥控器丢失怎么办？',
    answer: `请尽快告知客户服务中心挂失，以免被他人使用。补办时请携带身份证和车辆行驶证到客户服务中心办理，补办费用为【${FILL}】。`,
    keywords: ['停车卡丢失', '遥控器', '补卡', '挂失'],
  },
  {
    category: 'other',
    question: '快递可以放在客户服务中心代收吗？',
    answer: `快递代收的规定为【${FILL}】。如需代收，请提前告知我们您的姓名和房号，领取时请出示有效证件。贵重物品和生鲜物品建议您本人签收。`,
    keywords: ['快递', '代收', '包裹'],
  },
  {
    category: 'other',
    question: '客户服务中心的办公时间和联系电话是什么？',
    answer: `客户服务中心的办公时间为【${FILL}】，服务热线为【${FILL}】。非办公时间如有紧急情况（如漏水、停电、电梯困人），请拨打【${FILL}（24 小时值班电话）】，我们会马上安排人员处理。`,
    keywords: ['办公时间', '电话', '服务热线', '值班电话'],
  },
];

/** The scripts of a call and a visit, in the seeds' words [002]. */
const STARTER_SCRIPTS: { stage: string; title: string; body: string; note: string | null }[] = [
  {
    stage: 'greeting',
    title: '接听问候',
    body: '您好！{company}客户服务中心，工号{employeeNo}，请问有什么可以帮到您？',
    note: '电话响三声内接听，用愉快、充满生气的声调问好。',
  },
  {
    stage: 'hold',
    title: '请来电者稍候',
    body: '对不起，请{resident}稍等一下，我马上帮您查一下。',
    note: '不要让来电者等候而不予反应，每隔 20 秒回来告诉对方进展。',
  },
  {
    stage: 'hold_check',
    title: '稍候回线（每 20 秒）',
    body: '对不起，让{resident}久等了。请问您是继续等候，还是留下您的姓名和电话号码，我们稍后给您回电？',
    note: null,
  },
  {
    stage: 'transfer',
    title: '转接前告知',
    body: '请{resident}稍等一下，我现在把电话转给负责的同事为您处理。',
    note: '不要一声不响为来电者转线，先告知再转接。',
  },
  {
    stage: 'message',
    title: '记录留言',
    body: '对不起，他现在不在办公室。请留下您的姓名和电话号码，等他回来时，我请他给{resident}回电话，好吗？',
    note: '写下姓名、联系电话、内容和来电时间，并向对方重述一遍，以防错漏。',
  },
  {
    stage: 'complaint',
    title: '投诉致歉与感谢',
    body: '非常抱歉给{resident}带来不便，谢谢您将此事告知我们。我们会尽快处理，并及时把结果告诉您。',
    note: '耐心听完，不急于辩解；如不能马上解决，告知原因和预计完成时间。',
  },
  {
    stage: 'closing',
    title: '结束通话',
    body: '请问{resident}还有其他需要帮助的吗？感谢您的来电，再见！',
    note: '要等来电者先挂电话，您才轻放电话。',
  },
  {
    stage: 'visit_greeting',
    title: '上门问候',
    body: '{resident}好！我是{community}客户服务中心的{agent}，工号{employeeNo}，按约定来为您处理。',
    note: '上门服务须预先与住户预约时间。',
  },
  {
    stage: 'visit_closing',
    title: '上门结束',
    body: '已经处理好了，打扰{resident}了，谢谢您的配合。如有需要，请随时联系{community}客户服务中心。',
    note: null,
  },
];
