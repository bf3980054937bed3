"""Fixed tables of the demo world: what the seed report names, and the pools invented people,
enterprises and associations are drawn from.

Only the federation, its officials and the business association with its president and
secretary-general come from the seed (a news report of 5 March 2025). Everything else here is
invented; no invented personal data is attached to a real name.
"""

import datetime

from qiaojia.orgs.models import AssociationKind, AssociationTitle, FederationTitle, PartnerKind

# ---------------------------------------------------------------------------------------------
# From the seed.
# ---------------------------------------------------------------------------------------------

FEDERATION = {
    "name": "河南省僑聯",
    "name_en": "Henan Provincial Federation of Returned Overseas Chinese",
    "short_name": "省僑聯",
}

# (name, name_en, supervises_associations)
DEPARTMENTS = [
    ("辦公室", "General Office", False),
    ("組織聯絡部", "Organisation and Liaison Department", False),
    ("文化經濟聯絡部", "Culture and Economy Liaison Department", True),
    ("權益保障部", "Rights and Interests Protection Department", False),
    ("宣傳部", "Publicity Department", False),
    ("海外聯絡部", "Overseas Liaison Department", False),
    ("機關黨委", "Party Committee of the Federation Office", False),
]
SUPERVISING_DEPARTMENT = "文化經濟聯絡部"

# The federation's officials exactly as the seed names them: (name, public title, title, department).
FEDERATION_OFFICIALS = [
    ("楊海強", "河南省僑聯黨組書記、主席", FederationTitle.PARTY_SECRETARY_CHAIR, None),
    ("呂劍", "河南省僑聯黨組成員、副主席", FederationTitle.PARTY_MEMBER_VICE_CHAIR, None),
    ("潘冬", "河南省僑聯秘書長", FederationTitle.SECRETARY_GENERAL, None),
    ("邱建鋒", "河南省僑聯文化經濟聯絡部部長", FederationTitle.DEPARTMENT_HEAD, "文化經濟聯絡部"),
]

BUSINESS_ASSOCIATION = "河南省僑商聯合會"
# The seed: "2025年是商會換屆後的開局之年" — the new leadership took office late in 2024, for five years.
BUSINESS_TERM_STARTS = datetime.date(2024, 12, 18)
TERM_YEARS = 5

# The business association's officers exactly as the seed names them: (name, public title, title).
BUSINESS_OFFICERS = [
    ("鄭定輝", "河南省僑商聯合會會長", AssociationTitle.PRESIDENT),
    ("柴莉", "河南省僑商聯合會秘書長", AssociationTitle.SECRETARY_GENERAL),
]

SEED_PEOPLE = [row[0] for row in FEDERATION_OFFICIALS] + [row[0] for row in BUSINESS_OFFICERS]

# ---------------------------------------------------------------------------------------------
# Associations: the seed's business association first, then invented ones.
# (key, name, name_en, short_name, kind, founded_on, city, weight for members, description)
# Descriptions are in Traditional for some and Simplified for others, as associations write them.
# ---------------------------------------------------------------------------------------------

K = AssociationKind
D = datetime.date

ASSOCIATIONS = [
    ("business", BUSINESS_ASSOCIATION, "Henan Association of Overseas Chinese Businessmen", "省僑商會", K.BUSINESS,
     None, "鄭州", 3.0,
     "河南省僑商聯合會注重搭建經貿合作交流平臺，加強海內外合作，關注企業出海，積極參與地方經濟建設，"
     "積極履行社會責任。2025年是商會換屆後的開局之年，以專業化、數智化、生態化、可持續化為發展方向。"),
    ("returnees", "河南省歸國華僑聯誼會", "Henan Returned Overseas Chinese Friendship Association", "省歸僑聯誼會",
     K.RETURNEES, D(1987, 6, 18), "鄭州", 2.0,
     "聯絡全省歸國華僑，開展聯誼交流和困難歸僑幫扶，反映歸僑僑眷的意見和訴求。"),
    ("overseas_friendship", "河南省海外聯誼會", "Henan Overseas Friendship Association", "省海聯會", K.CULTURAL,
     D(1998, 9, 21), "鄭州", 1.5,
     "以鄉情為紐帶，聯絡海外僑胞和港澳同胞，促進河南與港澳及海外的文化和經貿交流。"),
    ("youth_committee", "河南省僑聯青年委員會",
     "Youth Committee of the Henan Provincial Federation of Returned Overseas Chinese", "省僑聯青委會", K.YOUTH,
     D(2012, 11, 8), "鄭州", 1.2,
     "团结凝聚新侨和侨界青年，组织创新创业交流、青年论坛和志愿服务活动。"),
    ("women", "河南省僑界婦女聯誼會", "Henan Overseas Chinese Women's Friendship Association", "", K.WOMEN,
     D(2008, 3, 8), "鄭州", 1.0,
     "联系侨界妇女，开展家庭教育、关爱留守儿童和女性创业帮扶活动。"),
    ("history", "河南省華僑歷史學會", "Henan Society for the History of Overseas Chinese", "省僑史學會",
     K.PROFESSIONAL, D(1991, 10, 15), "鄭州", 0.6,
     "徵集整理河南歸僑僑眷的口述歷史和文獻，編印僑史資料，舉辦學術研討。"),
    ("experts", "河南省僑界專家委員會", "Henan Committee of Overseas Chinese Experts", "", K.PROFESSIONAL,
     D(2010, 5, 20), "鄭州", 0.8,
     "汇聚侨界高层次人才，为地方发展建言献策，开展科技咨询和项目对接。"),
    ("investment", "河南省僑商投資企業協會", "Henan Association of Enterprises with Overseas Chinese Investment",
     "省僑資企協", K.BUSINESS, D(2003, 4, 26), "鄭州", 1.0,
     "服务侨资企业，协调政企沟通，维护侨资企业合法权益，促进项目落地。"),
    ("zz_chamber", "鄭州市僑商會", "Zhengzhou Overseas Chinese Chamber of Commerce", "鄭州僑商會", K.BUSINESS,
     D(2009, 12, 12), "鄭州", 1.0,
     "立足鄭州、面向海外，為會員企業提供商務對接、政策解讀和出海服務。"),
    ("ly_chamber", "洛陽市僑商聯合會", "Luoyang Overseas Chinese Business Federation", "洛陽僑商聯", K.BUSINESS,
     D(2013, 7, 6), "洛陽", 0.8,
     "联络洛阳籍海外侨商，推动文旅、装备制造等领域的招商引资与合作。"),
    ("xx_chamber", "新鄉市僑商聯誼會", "", "", K.BUSINESS, D(2016, 9, 9), "新鄉", 0.6,
     "聯絡新鄉僑資企業和海外僑商，組織項目考察和經貿洽談。"),
    ("ny_chamber", "南陽市僑商會", "Nanyang Overseas Chinese Chamber of Commerce", "", K.BUSINESS,
     D(2015, 5, 18), "南陽", 0.6,
     "服务南阳籍侨商回乡投资，推介中医药、玉雕和农产品等特色产业。"),
    ("young_entrepreneurs", "河南省僑界青年企業家協會", "Henan Association of Young Overseas Chinese Entrepreneurs",
     "省僑青企協", K.YOUTH, D(2014, 6, 28), "鄭州", 1.0,
     "為僑界青年企業家搭建交流合作平臺，舉辦創業沙龍和企業出海培訓。"),
    ("startup", "河南省新僑創新創業聯盟", "Henan Alliance of New Overseas Chinese for Innovation and Enterprise",
     "新僑雙創聯盟", K.YOUTH, D(2017, 10, 26), "鄭州", 0.8,
     "服务海归和新侨人才创新创业，对接孵化载体、投融资和人才政策。"),
    ("women_entrepreneurs", "河南省僑界女企業家聯誼會", "", "", K.WOMEN, D(2011, 3, 6), "鄭州", 0.7,
     "聯絡僑界女企業家，開展經驗交流、公益助學和巾幗創業幫扶。"),
    ("culture_exchange", "河南省僑界文化交流促進會", "Henan Association for Overseas Chinese Cultural Exchange", "",
     K.CULTURAL, D(2006, 8, 16), "鄭州", 0.8,
     "组织海外华裔青少年寻根之旅和中原文化交流活动。"),
    ("hakka", "河南省客家聯誼會", "Henan Hakka Friendship Association", "省客聯會", K.HOMETOWN, D(2008, 10, 20),
     "鄭州", 1.0,
     "以中原為根、客家為脈，聯絡海內外客屬鄉親，參與世界客屬懇親大會等尋根活動。"),
    ("fujian", "河南省閩籍僑胞聯誼會", "", "", K.HOMETOWN, D(2012, 4, 15), "鄭州", 0.7,
     "联络在豫闽籍侨胞和归侨侨眷，开展乡情联谊和互助活动。"),
    ("guangdong", "河南省粵籍僑胞聯誼會", "Henan Association of Overseas Chinese from Guangdong", "", K.HOMETOWN,
     D(2013, 11, 2), "鄭州", 0.7,
     "聯絡在豫粵籍僑胞，促進豫粵兩地鄉親往來和經貿合作。"),
    ("chaoshan", "河南省潮汕同鄉聯誼會", "", "", K.HOMETOWN, D(2016, 1, 10), "鄭州", 0.5,
     "团结在豫潮汕乡亲，传承潮汕文化，开展联谊互助。"),
    ("sea_returnees", "河南省東南亞歸僑聯誼會", "Henan Southeast Asian Returnees Friendship Association", "",
     K.RETURNEES, D(1993, 5, 4), "鄭州", 1.0,
     "聯絡從東南亞各國歸來的歸僑及其親屬，保存歸僑記憶，開展聯誼和關愛活動。"),
    ("indonesia", "河南省印尼歸僑聯誼會", "Henan Indonesian Returnees Friendship Association", "", K.RETURNEES,
     D(1996, 8, 17), "鄭州", 0.6,
     "联络印尼归侨，组织文艺联谊，关心年长归侨的生活。"),
    ("vietnam", "河南省越南歸僑聯誼會", "", "", K.RETURNEES, D(1999, 3, 22), "鄭州", 0.5,
     "聯絡越南歸僑，開展走訪慰問和聯誼活動。"),
    ("kaifeng_returnees", "開封市歸僑僑眷聯誼會", "Kaifeng Association of Returned Overseas Chinese and Relatives",
     "", K.RETURNEES, D(1989, 9, 30), "開封", 0.8,
     "服务开封归侨侨眷，开展侨法宣传、走访慰问和文化活动。"),
    ("lawyers", "河南省僑界律師聯誼會", "Henan Overseas Chinese Lawyers' Association", "", K.PROFESSIONAL,
     D(2015, 12, 4), "鄭州", 0.5,
     "为归侨侨眷和海外侨胞提供法律咨询，参与涉侨纠纷调解和侨法宣传。"),
    ("medical", "河南省僑界醫學專家聯誼會", "Henan Association of Overseas Chinese Medical Experts", "",
     K.PROFESSIONAL, D(2011, 7, 1), "鄭州", 0.6,
     "組織僑界醫學專家義診、健康講座和醫學學術交流。"),
    ("research", "河南省華僑華人研究會", "Henan Society for Overseas Chinese Studies", "", K.PROFESSIONAL,
     D(2004, 11, 18), "鄭州", 0.5,
     "研究海外华侨华人历史与现状，为侨务工作提供咨询参考。"),
    ("painting", "河南省僑界書畫院", "Henan Overseas Chinese Academy of Calligraphy and Painting", "", K.CULTURAL,
     D(2009, 5, 19), "鄭州", 0.6,
     "團結僑界書畫愛好者，舉辦書畫展覽和海外交流展。"),
    ("photography", "河南省僑界攝影家協會", "", "", K.CULTURAL, D(2014, 9, 27), "鄭州", 0.5,
     "组织侨界摄影创作和展览，记录侨乡变化。"),
    ("volunteers", "河南省僑界志願者協會", "Henan Overseas Chinese Volunteers' Association", "", K.CULTURAL,
     D(2018, 3, 5), "鄭州", 0.9,
     "组织“豫侨同行”志愿服务，开展送温暖献爱心、助学助老等公益活动。"),
    ("hkmacao_youth", "河南省港澳青年交流促進會", "Henan Association for Hong Kong and Macao Youth Exchange", "",
     K.YOUTH, D(2019, 7, 1), "鄭州", 0.6,
     "促進豫港澳青年交流，組織實習、研學和創業交流活動。"),
    ("returned_talents", "河南省海歸人才聯誼會", "Henan Association of Returned Overseas Talents", "",
     K.PROFESSIONAL, D(2016, 6, 16), "鄭州", 0.8,
     "联络海外归国人才，开展学术交流、人才推介和政策咨询。"),
    ("yellow_river", "河南省黃河文化海外傳播促進會", "Henan Association for Yellow River Culture Overseas", "",
     K.CULTURAL, D(2020, 10, 28), "鄭州", 0.5,
     "借助海外僑團推介黃河文化和中原文化，參與黃帝故里拜祖大典等活動的海外聯絡。"),
    ("chinese_education", "河南省華文教育促進會", "Henan Association for Chinese Language Education", "",
     K.CULTURAL, D(2007, 4, 12), "鄭州", 0.6,
     "支持海外华文学校师资培训和教材交流，组织华裔青少年夏令营。"),
]
OFFICER2_ASSOCIATION = "河南省歸國華僑聯誼會"

# Hometown and returnee associations draw members with a matching background.
RETURNEE_KEYS = {"returnees", "sea_returnees", "indonesia", "vietnam", "kaifeng_returnees", "history"}
YOUTH_KEYS = {"youth_committee", "young_entrepreneurs", "startup", "hkmacao_youth"}
WOMEN_KEYS = {"women", "women_entrepreneurs"}
ENTERPRISE_KEYS = ["business", "investment", "zz_chamber", "ly_chamber", "xx_chamber", "ny_chamber",
                   "young_entrepreneurs", "women_entrepreneurs", "startup", "returned_talents"]

# Title names as written in an association's public title (Traditional, like the associations' names).
TITLE_ZH = {
    AssociationTitle.PRESIDENT: "會長",
    AssociationTitle.EXECUTIVE_VICE_PRESIDENT: "常務副會長",
    AssociationTitle.VICE_PRESIDENT: "副會長",
    AssociationTitle.SECRETARY_GENERAL: "秘書長",
    AssociationTitle.CHIEF_SUPERVISOR: "監事長",
    AssociationTitle.DEPUTY_SECRETARY_GENERAL: "副秘書長",
}

# (association key, name, kind, country, contact, notes, [(days ago, summary)])
PARTNERS = [
    ("business", "河南省商務廳對外投資和經濟合作處", PartnerKind.GOVERNMENT, "CN", "對外投資和經濟合作處",
     "企業出海政策對接。",
     [(40, "走訪對接企業出海政策，商定聯合舉辦企業出海政策解讀會。"),
      (150, "推薦會員企業參加知名僑商中原行項目對接會。")]),
    ("business", "吉隆坡中原商會", PartnerKind.CHAMBER, "MY", "秘書處", "東南亞經貿合作夥伴。",
     [(95, "線上座談，交流東南亞市場准入和供需對接需求。")]),
    ("overseas_friendship", "香港中原鄉親聯誼會", PartnerKind.OVERSEAS_ASSOCIATION, "HK", "聯絡部", "",
     [(60, "來訪座談，商議共同舉辦豫港青年交流活動。"),
      (300, "組團參加黃帝故里拜祖大典。")]),
    ("youth_committee", "鄭州大學國際學院", PartnerKind.UNIVERSITY, "CN", "学生工作办公室", "新侨青年实习基地。",
     [(25, "签订新侨青年实习合作协议。")]),
    ("investment", "鄭州航空港經濟綜合實驗區招商服務中心", PartnerKind.GOVERNMENT, "CN", "招商服务中心",
     "侨资项目落地服务。",
     [(80, "陪同会员企业考察航空港区，洽谈仓储物流项目。"),
      (210, "召开侨资企业政企座谈会。")]),
    ("hakka", "新加坡中原客屬聯誼會", PartnerKind.OVERSEAS_ASSOCIATION, "SG", "秘書處", "",
     [(120, "聯絡組團參加世界客屬懇親大會。")]),
    ("lawyers", "河南省司法廳公共法律服務管理處", PartnerKind.GOVERNMENT, "CN", "公共法律服务管理处", "",
     [(55, "商定涉侨法律服务站年度工作安排。")]),
    ("chinese_education", "曼谷華文教育中心", PartnerKind.OVERSEAS_ASSOCIATION, "TH", "教務處", "華文師資培訓合作。",
     [(70, "组织华文教师线上培训。"), (240, "接待来访华校校长团。")]),
    ("zz_chamber", "悉尼豫籍僑商會", PartnerKind.CHAMBER, "AU", "秘書處", "",
     [(35, "視頻會議，交流澳洲農產品進口合作意向。")]),
]

# ---------------------------------------------------------------------------------------------
# Pools for invented people.
# ---------------------------------------------------------------------------------------------

# (Simplified, Traditional, relative frequency). Includes surnames read differently as surnames
# (曾 zeng, 单 shan, 仇 qiu, 解 xie, 区 ou, 查 zha, 翟 zhai, 盖 ge) and a few compound surnames.
SURNAMES = [
    ("王", "王", 74), ("李", "李", 72), ("张", "張", 68), ("刘", "劉", 55), ("陈", "陳", 48), ("杨", "楊", 40),
    ("赵", "趙", 30), ("黄", "黃", 30), ("周", "周", 24), ("吴", "吳", 22), ("徐", "徐", 18), ("孙", "孫", 18),
    ("胡", "胡", 15), ("朱", "朱", 15), ("高", "高", 15), ("林", "林", 14), ("何", "何", 12), ("郭", "郭", 15),
    ("马", "馬", 14), ("罗", "羅", 10), ("梁", "梁", 10), ("宋", "宋", 9), ("郑", "鄭", 10), ("谢", "謝", 8),
    ("韩", "韓", 8), ("唐", "唐", 7), ("冯", "馮", 7), ("于", "于", 7), ("董", "董", 7), ("萧", "蕭", 5),
    ("程", "程", 6), ("曹", "曹", 6), ("袁", "袁", 6), ("邓", "鄧", 6), ("许", "許", 6), ("傅", "傅", 5),
    ("沈", "沈", 5), ("曾", "曾", 6), ("彭", "彭", 5), ("吕", "呂", 5), ("苏", "蘇", 5), ("卢", "盧", 5),
    ("蒋", "蔣", 5), ("蔡", "蔡", 5), ("贾", "賈", 5), ("丁", "丁", 5), ("魏", "魏", 5), ("薛", "薛", 4),
    ("叶", "葉", 5), ("阎", "閻", 4), ("余", "余", 4), ("潘", "潘", 4), ("杜", "杜", 4), ("戴", "戴", 4),
    ("夏", "夏", 4), ("钟", "鍾", 4), ("汪", "汪", 4), ("田", "田", 4), ("任", "任", 4), ("姜", "姜", 4),
    ("范", "范", 4), ("方", "方", 4), ("石", "石", 4), ("姚", "姚", 4), ("谭", "譚", 3), ("廖", "廖", 3),
    ("邹", "鄒", 3), ("熊", "熊", 3), ("金", "金", 3), ("陆", "陸", 3), ("郝", "郝", 3), ("孔", "孔", 3),
    ("白", "白", 3), ("崔", "崔", 3), ("康", "康", 3), ("毛", "毛", 3), ("邱", "邱", 3), ("秦", "秦", 3),
    ("江", "江", 3), ("史", "史", 3), ("顾", "顧", 3), ("侯", "侯", 3), ("邵", "邵", 3), ("孟", "孟", 3),
    ("龙", "龍", 2), ("万", "萬", 2), ("段", "段", 3), ("雷", "雷", 2), ("钱", "錢", 2), ("汤", "湯", 2),
    ("尹", "尹", 2), ("黎", "黎", 2), ("易", "易", 2), ("常", "常", 3), ("武", "武", 3), ("乔", "喬", 2),
    ("贺", "賀", 2), ("赖", "賴", 2), ("龚", "龔", 2), ("文", "文", 2), ("洪", "洪", 2), ("翟", "翟", 2),
    ("单", "單", 2), ("仇", "仇", 1), ("解", "解", 1), ("区", "區", 1), ("查", "查", 1), ("盖", "蓋", 1),
    ("欧阳", "歐陽", 1), ("司马", "司馬", 1), ("诸葛", "諸葛", 1), ("上官", "上官", 1),
]

# Given-name characters in Simplified; TRADITIONAL maps those written differently in Traditional.
MALE_CHARS = ("伟强磊军勇杰涛明超刚建国志鹏辉飞宇浩轩东海波斌鑫凯俊峰博诚永兴德荣庆光龙"
              "振立昊锦瑞忠学胜卫文华平林新江阳晨毅铭睿航泽恒洪宏亮成彬松柏")
FEMALE_CHARS = ("芳娜敏静丽艳娟秀霞红玲欣怡佳婷雪梅琳慧颖思雨彤琪涵诗晴璐淑燕萍兰"
                "凤云丹宁莉倩洁薇蕾莹媛悦瑶婉菲珊露月春晓琴素桂英华玉珍")
TRADITIONAL = dict(zip(
    "伟强军杰涛刚国鹏辉飞轩东凯诚兴荣庆龙锦学胜卫华阳铭泽恒丽艳红颖诗兰凤云宁洁莹悦瑶晓静",
    "偉強軍傑濤剛國鵬輝飛軒東凱誠興榮慶龍錦學勝衛華陽銘澤恆麗艷紅穎詩蘭鳳雲寧潔瑩悅瑤曉靜",
    strict=True,
))

ENGLISH_MALE = ["David", "Michael", "Kevin", "Jason", "Eric", "Daniel", "Andrew", "Peter", "Vincent", "William",
                "Raymond", "Alan", "Henry", "Tony", "Jack", "Steven", "Edward", "Martin", "Richard", "Samuel"]
ENGLISH_FEMALE = ["Grace", "Linda", "Amy", "Jenny", "Cindy", "Helen", "Emily", "Michelle", "Sophia", "Catherine",
                  "Joyce", "Vivian", "Irene", "Alice", "Angela", "Rachel", "Karen", "Fiona", "Winnie", "Joanne"]

# Surnames as romanised in Hong Kong and Macao (Cantonese) and in Southeast Asia (mostly Hokkien).
CANTONESE = {"陈": "Chan", "黄": "Wong", "李": "Lee", "张": "Cheung", "刘": "Lau", "林": "Lam", "王": "Wong",
             "吴": "Ng", "郑": "Cheng", "杨": "Yeung", "周": "Chow", "何": "Ho", "梁": "Leung", "许": "Hui",
             "谢": "Tse", "罗": "Law", "蔡": "Choi", "郭": "Kwok", "曾": "Tsang", "邱": "Yau", "朱": "Chu",
             "胡": "Wu", "马": "Ma", "高": "Ko", "徐": "Tsui", "孙": "Suen", "冯": "Fung", "邓": "Tang",
             "彭": "Pang", "叶": "Yip", "袁": "Yuen", "潘": "Poon", "区": "Au", "钟": "Chung", "卢": "Lo",
             "黎": "Lai", "余": "Yu", "苏": "So", "廖": "Liu", "谭": "Tam", "萧": "Siu", "单": "Sin"}
HOKKIEN = {"陈": "Tan", "林": "Lim", "黄": "Ng", "李": "Lee", "张": "Teo", "吴": "Goh", "王": "Ong", "郑": "Tay",
           "杨": "Yeo", "蔡": "Chua", "许": "Koh", "谢": "Chia", "刘": "Lau", "郭": "Kuek", "周": "Chew",
           "何": "Ho", "梁": "Leong", "邱": "Khoo", "洪": "Ang", "叶": "Yap", "罗": "Loh", "苏": "Soh",
           "徐": "Chee", "曾": "Chan", "潘": "Phua", "胡": "Oh", "卢": "Low"}
HOKKIEN_COUNTRIES = {"MY", "SG", "ID", "TH", "PH"}
CANTONESE_COUNTRIES = {"HK", "MO"}

# Countries of residence of overseas people, with weights.
OVERSEAS_COUNTRIES = [
    ("US", 18), ("CA", 8), ("MY", 12), ("SG", 9), ("ID", 8), ("TH", 8), ("AU", 8), ("GB", 6), ("HK", 7),
    ("MO", 3), ("JP", 3), ("KR", 2), ("DE", 2), ("FR", 2), ("NZ", 2), ("PH", 2), ("IT", 1), ("ES", 1),
    ("NL", 1), ("AE", 1), ("ZA", 1),
]

# Mobile-number templates per country: X is a random digit. Every drawn number is checked with
# phonenumbers before use.
PHONE_TEMPLATES = {
    "US": ["+1212XXXXXXX", "+1415XXXXXXX", "+1646XXXXXXX", "+1626XXXXXXX", "+1718XXXXXXX", "+1206XXXXXXX"],
    "CA": ["+1416XXXXXXX", "+1604XXXXXXX", "+1647XXXXXXX", "+1778XXXXXXX", "+1514XXXXXXX"],
    "MY": ["+6012XXXXXXX", "+6016XXXXXXX", "+6017XXXXXXX", "+6019XXXXXXX"],
    "SG": ["+658XXXXXXX", "+659XXXXXXX"],
    "ID": ["+62811XXXXXXXX", "+62812XXXXXXXX", "+62813XXXXXXXX", "+62857XXXXXXXX"],
    "TH": ["+668XXXXXXXX", "+669XXXXXXXX", "+666XXXXXXXX"],
    "AU": ["+614XXXXXXXX"],
    "GB": ["+4474XXXXXXXX", "+4475XXXXXXXX", "+4477XXXXXXXX", "+4479XXXXXXXX"],
    "HK": ["+8525XXXXXXX", "+8526XXXXXXX", "+8529XXXXXXX"],
    "MO": ["+8536XXXXXXX"],
    "JP": ["+8190XXXXXXXX", "+8180XXXXXXXX", "+8170XXXXXXXX"],
    "KR": ["+8210XXXXXXXX"],
    "DE": ["+49151XXXXXXXX", "+49171XXXXXXX", "+49176XXXXXXXX"],
    "FR": ["+336XXXXXXXX", "+337XXXXXXXX"],
    "NZ": ["+6421XXXXXXX", "+6427XXXXXXX"],
    "PH": ["+639XXXXXXXXX"],
    "IT": ["+393XXXXXXXXX"],
    "ES": ["+346XXXXXXXX"],
    "NL": ["+316XXXXXXXX"],
    "AE": ["+97150XXXXXXX", "+97155XXXXXXX"],
    "ZA": ["+2782XXXXXXX", "+2783XXXXXXX"],
}
CN_MOBILE_PREFIXES = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153",
                      "155", "156", "157", "158", "159", "166", "173", "175", "176", "177", "178", "180", "181",
                      "182", "183", "185", "186", "187", "188", "189", "191", "198", "199"]

# Reserved example domains: invented addresses never reach a real mailbox.
EMAIL_DOMAINS = ["example.com", "example.net", "example.org"]

# Henan's prefecture-level cities: Simplified name, Traditional name, pinyin, division code, districts.
CITIES = [
    ("郑州", "鄭州", "Zhengzhou", "410100", ["金水区", "中原区", "二七区", "管城回族区", "惠济区", "郑东新区"], 30),
    ("洛阳", "洛陽", "Luoyang", "410300", ["洛龙区", "西工区", "涧西区", "老城区"], 9),
    ("开封", "開封", "Kaifeng", "410200", ["龙亭区", "鼓楼区", "禹王台区"], 5),
    ("新乡", "新鄉", "Xinxiang", "410700", ["红旗区", "卫滨区", "牧野区"], 5),
    ("南阳", "南陽", "Nanyang", "411300", ["宛城区", "卧龙区"], 6),
    ("许昌", "許昌", "Xuchang", "411000", ["魏都区", "建安区"], 4),
    ("焦作", "焦作", "Jiaozuo", "410800", ["解放区", "山阳区"], 3),
    ("安阳", "安陽", "Anyang", "410500", ["文峰区", "北关区"], 3),
    ("商丘", "商丘", "Shangqiu", "411400", ["梁园区", "睢阳区"], 3),
    ("信阳", "信陽", "Xinyang", "411500", ["浉河区", "平桥区"], 3),
    ("周口", "周口", "Zhoukou", "411600", ["川汇区"], 3),
    ("驻马店", "駐馬店", "Zhumadian", "411700", ["驿城区"], 2),
    ("平顶山", "平頂山", "Pingdingshan", "410400", ["新华区", "卫东区"], 2),
    ("濮阳", "濮陽", "Puyang", "410900", ["华龙区"], 2),
    ("漯河", "漯河", "Luohe", "411100", ["源汇区", "郾城区"], 2),
    ("三门峡", "三門峽", "Sanmenxia", "411200", ["湖滨区"], 1),
    ("鹤壁", "鶴壁", "Hebi", "410600", ["淇滨区"], 1),
]
# A few ID numbers issued outside Henan (Fujian, Guangdong, Guangxi, Yunnan: traditional home regions of returnees).
OTHER_ID_REGIONS = ["350102", "350203", "350582", "440103", "440106", "440511", "450103", "530102"]
ROADS = ["花园路", "文化路", "经三路", "农业路", "金水路", "建设路", "中州大道", "商都路", "人民路", "解放路",
         "中原路", "黄河路", "长江路", "嵩山路", "科学大道", "开元大道", "九州路", "迎宾大道"]

# ---------------------------------------------------------------------------------------------
# Pools for invented enterprises (names in Simplified, as registered on the mainland).
# ---------------------------------------------------------------------------------------------

TRADE_NAME_FIRST = "豫侨华中鼎瑞恒金博天新嘉盛鸿锦佳明兴启海远同和宏凯通泰隆合中嵩"
TRADE_NAME_SECOND = "兴源达丰通信联盛德昌泰和创宇航科润晟弘诚瑞邦远辰禾森诺桥"

# Industry code -> [(name suffix, English suffix)], weight.
INDUSTRY_SUFFIXES = {
    "A": ([("农业科技有限公司", "Agricultural Technology Co., Ltd."),
           ("生态农业发展有限公司", "Ecological Agriculture Development Co., Ltd.")], 5),
    "B": ([("矿业有限公司", "Mining Co., Ltd.")], 1),
    "C": ([("机械制造有限公司", "Machinery Manufacturing Co., Ltd."), ("新材料有限公司", "New Materials Co., Ltd."),
           ("食品有限公司", "Food Co., Ltd."), ("服饰有限公司", "Apparel Co., Ltd."),
           ("电子科技有限公司", "Electronic Technology Co., Ltd.")], 22),
    "D": ([("新能源有限公司", "New Energy Co., Ltd.")], 3),
    "E": ([("建设工程有限公司", "Construction Engineering Co., Ltd."),
           ("建筑装饰工程有限公司", "Building Decoration Engineering Co., Ltd.")], 6),
    "F": ([("国际贸易有限公司", "International Trade Co., Ltd."), ("进出口有限公司", "Import and Export Co., Ltd."),
           ("商贸有限公司", "Trading Co., Ltd.")], 22),
    "G": ([("国际物流有限公司", "International Logistics Co., Ltd."),
           ("供应链管理有限公司", "Supply Chain Management Co., Ltd.")], 8),
    "H": ([("餐饮管理有限公司", "Catering Management Co., Ltd."),
           ("酒店管理有限公司", "Hotel Management Co., Ltd.")], 4),
    "I": ([("信息技术有限公司", "Information Technology Co., Ltd."), ("软件有限公司", "Software Co., Ltd."),
           ("网络科技有限公司", "Network Technology Co., Ltd.")], 9),
    "J": ([("投资管理有限公司", "Investment Management Co., Ltd.")], 3),
    "K": ([("置业有限公司", "Real Estate Co., Ltd.")], 3),
    "L": ([("企业管理咨询有限公司", "Business Consulting Co., Ltd."),
           ("人力资源服务有限公司", "Human Resources Services Co., Ltd.")], 4),
    "M": ([("检测技术有限公司", "Testing Technology Co., Ltd."), ("生物科技有限公司", "Biotechnology Co., Ltd.")], 4),
    "P": ([("教育科技有限公司", "Education Technology Co., Ltd.")], 2),
    "Q": ([("医疗器械有限公司", "Medical Devices Co., Ltd."), ("健康管理有限公司", "Health Management Co., Ltd.")], 3),
    "R": ([("文化传媒有限公司", "Culture and Media Co., Ltd."),
           ("文化旅游发展有限公司", "Cultural Tourism Co., Ltd.")], 4),
}
TRADE_COUNTRIES = ["US", "MY", "SG", "ID", "TH", "VN", "DE", "JP", "KR", "AU", "GB", "AE", "RU", "KZ", "SA",
                   "BR", "IT", "FR", "NL", "CA", "PH", "NZ", "ZA", "PK", "UZ", "HU", "PL"]
