"""Vocabularies for the demo book (``workbench.services.demo``): names, places, companies, products, contact
outcomes, notes and lessons, and the book's make-up, as plain data. Weights are relative.

Word lists are written as space-separated strings; the tables are laid out by hand, so the formatter leaves
this file's data as written.
"""

from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _weighted(text: str) -> tuple[tuple[str, float], ...]:
    """'王 710 李 700' -> (('王', 710.0), ('李', 700.0))."""
    parts = text.split()
    return tuple((parts[i], float(parts[i + 1])) for i in range(0, len(parts), 2))


# fmt: off
# Surnames with rough per-10,000 frequencies (2020 census order), then the polyphonic and compound ones a
# search must still find (单 dan/shan, 曾 zeng/ceng, 解 jie/xie, 仇 chou/qiu, 区 qu/ou, 查 cha/zha).
SURNAMES = _weighted("""
    王 710 李 700 张 660 刘 540 陈 460 杨 310 赵 200 黄 190 周 190 吴 180 徐 150 孙 150 胡 130 朱 130
    高 120 林 120 何 120 郭 120 马 110 罗 90 梁 80 宋 80 郑 80 谢 70 韩 70 唐 60 冯 60 于 60
    董 50 程 50 曹 50 袁 50 邓 50 许 50 肖 45 傅 40 沈 40 曾 40 彭 40 吕 40 苏 40 卢 40
    蒋 40 蔡 30 贾 30 丁 30 魏 30 薛 30 叶 30 余 30 潘 30 杜 30 戴 30 阎 20 夏 20 钟 20
    汪 20 田 20 任 20 姜 20 范 20 方 20 石 20 姚 20 谭 20 廖 20 邹 20 熊 20 金 20 陆 20
    郝 20 孔 20 白 20 崔 20 康 20 毛 20 邱 20 秦 20 江 20 史 20 顾 20 侯 20 邵 20 孟 20
    龙 20 万 20 段 10 雷 10 钱 10 汤 10 尹 10 黎 10 易 10 常 10 武 10 乔 10 贺 10 赖 10
    龚 10 文 10 萧 5 单 5 解 5 仇 3 区 3 查 3 朴 2 欧阳 6 司马 2 上官 2 诸葛 1 司徒 2
    东方 1 皇甫 1 慕容 1 令狐 1 夏侯 1
""")
# Given names: most people carry one of the common ones (listed most common first; names repeat a lot in a
# real book: several 王伟 and 张敏), the rest a less common pair of characters.
MALE_NAMES = _words("""
    伟 强 磊 军 勇 杰 涛 斌 超 明 刚 平 辉 鹏 华 飞 鑫 波 宁 健 建华 建国 建军 志强 志明 国强 国华 海涛
    海波 俊杰 浩然 子轩 宇轩 晓东 文博 天宇 浩宇 建平 永刚 德明 振华 金龙 春生 荣华 立新 卫东 志刚 国庆
    建新 明亮 家豪 子豪 俊 峰 浩 亮 林 宇 晨 阳 博 凯 旭 兵 成 龙 文 东 伟东 海峰 志伟 建伟 学军 永强
""")
FEMALE_NAMES = _words("""
    芳 娜 敏 静 丽 艳 娟 霞 秀英 桂英 秀兰 玉兰 桂兰 丽娟 丽华 玉梅 红梅 婷婷 雪梅 海燕 晓燕 慧敏 佳怡
    欣怡 梓涵 诗涵 雨涵 子涵 思雨 若曦 晓丽 春梅 美玲 淑芬 玉珍 凤英 雅琴 文静 颖 倩 佳 琳 莉 洁 萍
    燕 玲 婷 雪 慧 红 梅 丹 晶 蕾 薇 雯 怡 莹 璐 瑶 萱 月 婉 淑惠 晓红 丽萍 美华
""")
MALE_CHARS = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宁健建国峰浩亮俊志海文东林宇晨阳博凯旭振兵德永"
FEMALE_CHARS = "芳娜敏静丽艳娟霞玲婷燕琳雪慧红梅洁萍莉颖倩佳欣怡雯晶薇蕾丹秀英兰凤琴云莹萱瑶璐月婉淑惠"
SHARED_CHARS = "子一嘉思雨晓天文安家立中维永少"

# Where clients come from: resident-ID area codes (mostly local to a Hangzhou branch), with weights.
ID_AREAS = _weighted("""
    330102 12 330105 10 330106 14 330108 8 330109 9 330110 9 330203 3 330302 3 330402 2 330602 3 330702 2
    340104 2 320102 1 310104 2 110105 1 360102 1 410105 1 420106 1 430103 1 510107 1 350102 1
""")
DISTRICTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("上城区", _words("解放路 庆春路 望江路 延安路")),
    ("拱墅区", _words("莫干山路 湖墅南路 体育场路 大关路")),
    ("西湖区", _words("文三路 文二路 天目山路 教工路 古墩路")),
    ("滨江区", _words("江南大道 滨盛路 江陵路 长河路")),
    ("萧山区", _words("市心路 金城路 人民路")),
    ("余杭区", _words("文一西路 五常大道 良睦路")),
)
COMPOUNDS = _words("""
    金色家园 翠苑一区 南都花园 桂花城 星洲花园 金沙湾 万家星城 明月嘉苑 湖畔居 丹枫苑 嘉绿苑 翡翠城 春江花月
    学军小区
""")
MOBILE_PREFIXES = _words("""
    130 131 132 133 135 136 137 138 139 150 151 152 153 155 156 157 158 159 166 173 175 176 177 178 180 181
    182 183 185 186 187 188 189 191 198 199
""")

COMPANY_CITIES = _words("杭州 杭州 杭州 浙江 萧山 余杭 宁波 绍兴 湖州 嘉兴 富阳 临安")
COMPANY_WORDS = _words("""
    西湖 钱塘 之江 恒通 华信 鼎盛 天成 宏达 永新 金鹰 瑞丰 博远 中诚 万象 新锐 东升 联创 汇丰源 嘉禾 德润
    明华 九洲 远洋 同舟 鸿运 安泰 和信 盛世 天禄 汇通 正元 长风 云帆 兆丰 金桥 百川 景程 弘毅 启明 泰和
""")
# (the trade in the company's name, the industry recorded on the client)
INDUSTRIES: tuple[tuple[str, str], ...] = (
    ("精密机械", "通用设备制造"), ("纺织", "纺织业"), ("服饰", "纺织服装"), ("电子科技", "电子信息"),
    ("网络科技", "互联网和软件"), ("建筑工程", "建筑业"), ("建材", "建材"), ("食品", "食品加工"),
    ("医药", "医药制造"), ("进出口", "批发和零售"), ("物流", "交通运输和仓储"), ("置业", "房地产"),
    ("化工", "化工"), ("汽车零部件", "汽车制造"), ("环保科技", "节能环保"), ("餐饮管理", "住宿和餐饮"),
    ("茶业", "农副产品"), ("新材料", "新材料"), ("智能装备", "装备制造"), ("供应链管理", "商务服务"),
)
COMPANY_SUFFIXES = _weighted("有限公司 80 股份有限公司 15 有限责任公司 5")

# Profile vocabularies, one list per field.
FIELD_WORDS: dict[str, tuple[str, ...]] = {
    "occupation": _words("""
        企业主 个体工商户 公务员 教师 医生 工程师 律师 会计师 销售经理 程序员 退休 大学教授 外贸业务员
        设计师 企业高管 护士 自由职业 房东
    """),
    "employer": _words("""
        浙江大学 杭州市第一人民医院 西湖区教育局 杭州某互联网公司 自营服装店 某会计师事务所 省电力公司
        某律师事务所 某汽车4S店 杭州地铁集团 某外贸公司 市人民政府 自有企业
    """),
    "income": _words("""
        年收入10万左右 年收入20-30万 年收入50万左右 年收入百万以上 退休金每月6000元
        经营收入不稳定，年景好时上百万
    """),
    "family": _words("""
        已婚，育有一子，在杭州第二中学读高二 已婚，女儿在英国读研究生 已婚，两个孩子，小的刚上幼儿园
        单身，和父母同住 离异，儿子跟随本人 已婚，配偶是中学老师，孩子明年高考
        已婚，儿子已工作并成家，有一孙女 已婚，配偶在家照顾老人，孩子在读小学
    """),
    "consumption": _words("""
        注重子女教育投入 喜欢出境旅游 偏好高端汽车 关注健康和体检 节俭，消费不多 常买奢侈品 愿意为养老做规划
    """),
    "social_circle": _words("""
        温州商会会员 同学圈子活跃 小区业主群群主 常和生意伙伴打高尔夫 老年大学同学 行业协会理事
        家族企业，亲戚多在本地
    """),
    "asset_structure": _words("""
        两套房产，股票约50万 主要是存款和理财，不炒股 有私募基金投资 资产集中在自己企业 在他行有大额存单
        有一套商铺出租
    """),
    "transaction_habits": _words("""
        习惯用手机银行 喜欢到网点柜台办理 通过客户经理电话办理 月初集中转账 偏好微信沟通
    """),
    "notes": _words("""
        不喜欢周末打扰 称呼“姐”即可，不喜欢叫阿姨 重要客户，逢年过节上门 只接受微信联系 配偶也是本行客户
        对利率很敏感，常比较几家银行
    """),
    "ownership": _words("""
        实际控制人持股70%，其配偶持股30% 家族持股，兄弟二人各占一半 国有参股20%，其余为管理层持股
        创始人控股，引入一家产业基金
    """),
    "operations": _words("""
        主营产品在省内市场占有率约10% 以出口为主，客户在欧美 为本地龙头企业配套 订单稳定，产能饱满
    """),
    "funding": _words("自有资金为主，有少量他行贷款 银行贷款占比较高 应收账款回款周期长，资金偏紧"),
    "history": _words("由家庭作坊起步，2008年建新厂 原为国企改制 创始人从外企出来创业"),
    "problems": _words("原材料涨价挤压利润 招工难 应收账款回收慢 出口订单减少 环保改造投入大"),
    "financials": _words("年营收约8000万，净利润约600万 年营收约2亿，资产负债率55% 年营收约3000万，微利"),
    "standing": _words("本地细分行业前三 行业中游 区域龙头"),
    "suppliers_customers": _words("""
        上游为钢材经销商，下游为家电厂 主要客户是几家连锁超市 供应商集中在绍兴柯桥
    """),
}
HOBBIES = _words("""
    高尔夫 书法 钓鱼 茶艺 摄影 旅游 马拉松 收藏字画 太极拳 登山 广场舞 古典音乐 养花 自驾游 羽毛球 围棋
""")
OTHER_BANKS = _words("工商银行 建设银行 农业银行 招商银行 杭州银行 浙商银行 中国银行 宁波银行")
PRODUCTS_OPENED = _words("借记卡 手机银行 信用卡 代发工资 第三方存管 ETC 自动还款")
NEEDS_INDIVIDUAL = _words("子女出国留学换汇 养老规划 房贷提前还款 稳健理财配置 购车贷款 保险配置")
NEEDS_CORPORATE = _words("流动资金贷款 票据贴现 代发工资 国际结算 厂房扩建项目贷款 现金管理")
RISK_WEIGHTS = _weighted("保守 20 稳健 40 平衡 25 成长 10 进取 5")
CAPITALS_WAN = (100, 200, 300, 500, 1000, 2000, 5000, 10000)  # registered capital, in 万元
# How likely each field is filled in a thin, an ordinary and a well-kept profile (DOMAIN.md §1: most CRM
# records hold little beyond name, phone and ID).
INDIVIDUAL_ODDS: dict[str, tuple[float, float, float]] = {
    "address": (0.35, 0.8, 1.0), "occupation": (0.2, 0.8, 1.0), "employer": (0.05, 0.5, 0.95),
    "income": (0, 0.3, 0.9), "family": (0, 0.2, 0.9), "hobbies": (0, 0.2, 0.9), "consumption": (0, 0.05, 0.7),
    "social_circle": (0, 0.05, 0.7), "risk_profile": (0.1, 0.5, 1.0), "asset_structure": (0, 0.1, 0.8),
    "transaction_habits": (0, 0.1, 0.75), "industry": (0, 0.1, 0.5), "other_banks": (0.05, 0.3, 0.9),
    "products_opened": (0.1, 0.6, 0.9), "next_needs": (0, 0.1, 0.8), "notes": (0, 0.05, 0.3),
}
CORPORATE_ODDS: dict[str, tuple[float, float, float]] = {
    "address": (0.7, 0.95, 1.0), "founded_year": (0.5, 0.9, 1.0), "registered_capital": (0.5, 0.9, 1.0),
    "ownership": (0, 0.15, 0.8), "operations": (0, 0.2, 0.85), "funding": (0, 0.15, 0.8),
    "history": (0, 0.1, 0.7), "problems": (0, 0.15, 0.75), "financials": (0, 0.2, 0.8),
    "standing": (0, 0.1, 0.7),
    "suppliers_customers": (0, 0.1, 0.7), "other_banks": (0.1, 0.4, 0.9), "products_opened": (0.3, 0.7, 0.95),
    "next_needs": (0, 0.3, 0.9), "notes": (0, 0.05, 0.3),
}
DM_TITLES = _words("董事长 总经理 财务总监 实际控制人 副总经理 财务经理")
EDUCATION = _words("大专 本科 本科 硕士 EMBA 高中")
DM_CONTACTS = _words("手机联系，工作日上午方便 通过财务经理预约 微信联系，回复较快 办公室座机，秘书转接")
RELATIONS = _words("母公司 子公司 同一实际控制人 主要供应商 主要客户")

# (product type, name pattern, term in days or None, minimum amount in CNY)
PRODUCTS: tuple[tuple[str, str, int | None, int], ...] = (
    ("定期存款", "整存整取{t}", 365, 10_000), ("定期存款", "整存整取{t}", 182, 10_000),
    ("定期存款", "整存整取{t}", 730, 10_000), ("大额存单", "大额存单{y}年第{n}期({t})", 1095, 200_000),
    ("大额存单", "大额存单{y}年第{n}期({t})", 365, 200_000), ("理财", "稳盈添利{d}天", 90, 10_000),
    ("理财", "安鑫优选{d}天", 180, 10_000), ("理财", "季季盈{d}天", 91, 10_000),
    ("基金", "沪深300指数增强", None, 1_000), ("基金", "稳健债券A", None, 1_000),
    ("基金", "科技成长混合", None, 1_000), ("保险", "鑫享年金保险", 3650, 50_000),
    ("保险", "安康终身寿险", None, 20_000),
)
TERM_NAMES = {182: "6个月", 365: "1年", 730: "2年", 1095: "3年"}

# Contact channels with their outcomes; channel weights for ordinary and VIP (platinum and up) clients.
OUTCOMES: dict[str, tuple[str, ...]] = {
    "phone": _words("""
        电话沟通，客户考虑续存 提醒理财到期，客户同意续购 客户在开会，约下周再联系 电话回访，客户对服务满意
        介绍新发大额存单，客户有兴趣 电话未接通 确认下月有一笔资金到账 提醒更新身份证有效期
    """),
    "wechat": _words("""
        微信发送新发理财产品介绍，客户已读 节日问候，客户回复感谢 发送市场周报 客户微信咨询房贷利率
        推送养老金融讲座邀请
    """),
    "visit": _words("""
        上门拜访，了解企业扩产资金需求 网点面谈，完成风险测评 上门送生日礼物，客户很高兴
        陪同客户办理大额转账 拜访财务总监，介绍现金管理方案 网点面谈，调整资产配置
    """),
    "sms": _words("短信提醒定期存款到期 生日祝福短信 节日祝福短信 发送理财到期提示"),
    "email": _words("发送授信方案 发送对账单和利率报价"),
    "event": _words("参加客户答谢会 参加理财沙龙，对养老规划感兴趣 参加亲子活动 参加高尔夫邀请赛"),
}
CHANNEL_WEIGHTS: dict[str, tuple[float, float]] = {
    "phone": (50, 35), "wechat": (25, 25), "visit": (5, 22), "sms": (17, 6), "email": (1, 4), "event": (2, 8),
}
EVENT_DAYS_AGO = (15, 75, 160, 230, 320)  # the branch's appreciation events over the year
CONTACT_TIMES = _words("""
    09:15:00 09:40:00 10:05:00 10:30:00 11:10:00 14:00:00 14:35:00 15:20:00 16:05:00 16:45:00 19:30:00
""")

# Notes: {a} and {b} are clients (mentioned as @name), {x} an amount in 万, {p} a person who is not a client,
# {u} a mention nobody can resolve yet (triage).
NOTE_TEMPLATES = (
    "@{a} 下月有{x}万定期到期，倾向大额存单，记得提前一周联系 #到期 #大额存单",
    "@{a} 孩子明年出国读书，关注换汇和留学贷款 #留学 #需求",
    "@{a} 公司在扩建厂房，年后可能有{x}万流动资金贷款需求 #授信 #对公",
    "@{a} 对上次推荐的基金回撤有意见，需要再沟通 #投诉风险",
    "@{a} 介绍了朋友{p}，下周约见 #转介绍",
    "@{a} 和 @{b} 是生意伙伴，可以一起邀请参加答谢会 #活动 #关系",
    "客户答谢会名单待定，优先邀请钻石和白金客户 #活动",
    "季末时点前梳理到期资金，重点跟进{x}万以上客户 #时点 #季末",
    "@{a} 喜欢钓鱼，下次活动可以邀请 #兴趣",
    "@{a} 父亲住院，近期不宜推销，发微信问候 #关怀",
    "@{a} 说他行大额存单利率高一点，准备转走{x}万 #流失风险 #他行",
    "@{a} 新换了手机号，需更新档案 #档案",
    "@{a} 想了解养老年金保险，约周末面谈 #保险 #养老",
    "@{p} 打电话问开户流程，可能是潜在客户 #潜在客户",
    "网点下周做社区宣传，准备理财讲座资料 #四进",
    "@{u} 说下周来网点办大额存单，需要确认是哪位客户 #待确认",
)
UNRESOLVED_MENTIONS = _words("刘总 老陈 王姐 张会计 李老板")
AMOUNTS_WAN = (20, 30, 50, 80, 100, 150, 200, 300, 500)
# Lessons: (text, situation, action, result, cause, next_time)
LESSONS: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("@{a} 的{x}万大额存单到期没提前联系，被他行截走 #教训 #流失", "大额存单到期", "到期当天才打电话",
     "客户已把资金转到他行", "没有提前一周排进计划", "到期前两周电话，前一周约面谈"),
    ("给 @{a} 推荐了偏股基金，客户风险偏好其实是保守 #教训 #适当性", "客户想提高收益", "推荐了偏股混合基金",
     "净值回撤后客户不满", "没核对风险测评结果", "推荐前先看风险测评，讲清最大回撤"),
    ("@{a} 的授信方案定价太高，输给了他行 #教训 #授信", "企业申请{x}万流动资金贷款", "按标准定价报了方案",
     "客户选择了他行", "没了解他行报价和企业的综合贡献", "报价前问清他行条件，算综合收益"),
    ("给 @{a} 按公历发了生日祝福，客户过的是农历生日 #教训 #关怀", "客户生日", "按身份证日期发了短信",
     "客户说过的是农历", "档案没记历法", "生日一律问清农历还是公历"),
    ("拜访 @{a} 时见错了人，决策的是财务总监 #教训 #决策人", "首次拜访企业", "约了总经理谈贷款",
     "总经理说要财务总监拍板", "拜访前没搞清决策人", "先从外部打听谁拍板"),
    ("基金回撤前主动给 @{a} 打电话解释，客户没有赎回 #教训 #成功", "市场大跌", "提前电话说明持仓和后市",
     "客户继续持有并追加{x}万", "沟通及时", "大跌当天先联系持仓最多的客户"),
    ("@{a} 介绍了三位朋友开户 #教训 #转介绍", "客户对服务满意", "请客户介绍身边的朋友",
     "新开三户，合计资产{x}万", "维护到位，客户信任", "满意的客户主动请其转介绍"),
)
NOTE_SOURCES = _weighted("cli 50 tui 50")
FOLLOW_UPS = _words("""
    回电确认续存意向 发送大额存单利率表 约面谈调整资产配置 送生日礼物 补充身份证复印件 跟进贷款审批进度
""")
COMPLAINTS = _words("网点排队时间太长 理财产品收益不及预期 手机银行转账限额太低 客户经理更换没有通知")
# Visits: what a finished visit's record holds (the wizard's fields), by client kind.
VISIT_GOALS = {
    "individual": _words("""
        了解子女留学资金安排 到期资金续作方案 完成风险测评并调整配置 介绍养老规划 确认房贷提前还款意向
    """),
    "corporate": _words("""
        了解扩产资金需求 介绍现金管理方案 跟进授信审批材料 认识财务总监 了解代发工资需求
    """),
}
VISIT_OBSERVE = {
    "individual": _words("家里在装修 孩子准备出国 客户精神不错，谈兴很浓 客厅摆着高尔夫球具 家中有老人需要照顾"),
    "corporate": _words("办公室新装修，员工比上次多 厂区新增一条生产线 前台人员更换 仓库堆满库存 会议室挂着新拿的奖牌"),
}
VISIT_LISTEN = {
    "individual": _words("提到他行利率更高 关心孩子教育开支 抱怨转账限额太低 说父母年纪大了要考虑养老 想换套大房子"),
    "corporate": _words("说今年生意不好做 提到明年准备扩产 回款周期变长 他行在谈授信 准备给员工发年终奖"),
}
VISIT_NEEDS = {
    "individual": _words("稳健收益、随时可取 一年内有大额支出，需留足流动性 为父母配置养老保险 子女教育金储备"),
    "corporate": _words("流动资金周转 降低融资成本 归集各子公司资金 代发工资与员工理财"),
}
VISIT_OUTCOMES = _weighted("succeeded 45 partly 35 failed 10 postponed 10")
OPPORTUNITIES = {
    "individual": _words("大额存单 稳健理财 养老保险 基金定投 留学换汇 信用卡"),
    "corporate": _words("流动资金贷款 现金管理 代发工资 票据贴现 国际结算 厂房贷款"),
}
STAGE_WEIGHTS = _weighted("plan 10 assess 35 execute 25 follow_up 20 celebrate 10")

# The book's make-up: tier mix by kind, history shapes, and the scenarios every book starts with, so even a
# 40-client book shows every tier, trend and warning: (kind, tier, shape, extra), where extra asks for a
# special lunar birthday (八月十五, 腊月三十, a leap month) or a holding maturing within the week, and a
# surname (compound or polyphonic) that search must find by every reading.
IND_TIERS = _weighted("standard 38 gold 25 gold_plus 15 platinum 13 platinum_plus 5 diamond 2.5 black 1.5")
CORP_TIERS = _weighted("standard 15 gold 18 gold_plus 20 platinum 22 platinum_plus 11 diamond 8 black 6")
SHAPES = _weighted("flat 42 rising 25 stepdown 12 decline 8 sharp 4 cross_up 5 cross_down 4")
FORCED: tuple[tuple[str, str, str, str, str], ...] = (  # and a surname search must find by every reading
    ("individual", "black", "flat", "mid_autumn", ""), ("corporate", "diamond", "flat", "soon", ""),
    ("individual", "platinum_plus", "rising", "new_year_eve", "欧阳"),
    ("individual", "platinum", "sharp", "soon", "单"), ("individual", "gold_plus", "flat", "leap", ""),
    ("individual", "gold", "flat", "soon", "曾"), ("individual", "standard", "flat", "", ""),
    ("individual", "diamond", "cross_down", "", ""), ("corporate", "platinum", "cross_up", "", ""),
    ("individual", "gold", "decline", "", "区"), ("corporate", "gold_plus", "stepdown", "", ""),
    ("individual", "standard", "rising", "", "解"),
)
RICH = (0.04, 0.08, 0.12, 0.2, 0.3, 0.45, 0.6)  # chance of a well-kept profile, by tier rank
HOLDINGS = (0.6, 1.2, 1.8, 2.4, 3.0, 3.5, 4.0)  # mean number of holdings, by tier rank
# fmt: on
# fmt: off
PAST_STATUSES = _words("matured matured renewed redeemed")  # a holding whose maturity date has passed
SPECIAL_BIRTHDAYS: dict[str, tuple[int, int, bool] | None] = {  # lunar (month, day, leap); None: a leap month
    "mid_autumn": (8, 15, False), "new_year_eve": (12, 30, False), "leap": None,
}
# fmt: on
