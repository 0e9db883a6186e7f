"""Build the bundled demo content pack ``media/demo-pack/`` (format ``wuxiao-pack/1``).

Run from the repository root::

    .venv/bin/python scripts/make_demo_pack.py

What it needs:
  * Python 3.11 with Pillow (the project's .venv has it);
  * ``ffmpeg`` and ``ffprobe`` with libx264, aac and libmp3lame (Debian package ``ffmpeg``);
  * ``espeak-ng`` with the ``cmn-latn-pinyin`` voice (Debian package ``espeak-ng``);
  * the font ``/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc`` (Debian package ``fonts-wqy-zenhei``).

The script deletes and rebuilds ``media/demo-pack/``: pack.json plus one folder per achievement
(3 illustrative JPEG photos drawn with Pillow, one 1920x1080 H.264/AAC faststart MP4 made of
title-card slides, one Mandarin MP3 explanation spoken by espeak-ng, and for half of the
achievements a ``quiz.json``).  Everything is fictional: people, units and figures are made up,
and the photos are drawings labelled 示意图.  Output is deterministic (fixed seed, no timestamps).

At the end it checks the result against ``docs/contract/pack-v1.md`` (limits, enums,
referenced files, JPEG/dpi/EXIF, ffprobe on every video and MP3, moov before mdat, quiz shape,
no ID-number or phone-number look-alikes) and asserts the whole pack is at most 10,000,000 bytes.

Known, deliberate deviation from the guidelines: the photos are ~100 KB each, not the 1-10 MB the
campaign asks of real submissions, because the whole demo pack must stay under 10 MB; an importer
will report "photo under 1 MB" warnings for them.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import re
import shutil
import struct
import subprocess
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "media" / "demo-pack"
FONT_PATH = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
SEED = 20241018
MAX_PACK_BYTES = 10_000_000

PHOTO_SIZE = (1600, 1200)
PHOTO_QUALITY = 74
VIDEO_SIZE = (1920, 1080)
FPS = 25
SLIDE_SECONDS = 2.75
N_SLIDES = 4
VIDEO_SECONDS = N_SLIDES * SLIDE_SECONDS  # 11 s

AWARD_CN = {"first": "一等奖", "second": "二等奖", "third": "三等奖", "encouragement": "鼓励奖"}
AWARD_CAP = {"first": 9, "second": 7, "third": 5, "encouragement": 3}
CATEGORIES = ["小发明", "小创造", "小革新", "小设计", "小建议"]
KINDS = ["设备革新", "方法创新", "工作创意"]
ORIGINALITY = ["全部自主独创", "部分自主创新", "综合应用"]
PATENTS = ["发明专利", "实用新型专利", "软著"]

PACK_META = {
    "format": "wuxiao-pack/1",
    "pack_id": "demo-2024",
    "version": 1,
    "title": "职工“五小”创新成果展（演示内容包）",
    "organizer": "示例市总工会劳动和经济工作部",
    "published_at": "2024-10-18T09:00:00+08:00",
}

# ---------------------------------------------------------------------------------------------
# Content.  Keys starting with "_" drive the media and quiz and are not written to pack.json.
# ---------------------------------------------------------------------------------------------

ACHIEVEMENTS: list[dict] = [
    {
        "id": "TJ2024-001",
        "title": "无人机航测像控点快速布设与识别装置",
        "award": "first",
        "category": "小发明",
        "kind": "设备革新",
        "originality": "全部自主独创",
        "patents": ["发明专利", "实用新型专利"],
        "applicant": "示例市自然资源调查监测院航测创新工作室",
        "unit": "示例市自然资源调查监测院",
        "union": "示例市规划资源系统工会",
        "industry": "科学研究和技术服务业-专业技术服务业",
        "completed": "2023-09",
        "practice_months": 12,
        "completers": [
            {"name": "周启航", "contribution": "项目负责人，提出总体方案并主持样机研制"},
            {"name": "林晓雯", "contribution": "编码标志板结构设计与材料选型"},
            {"name": "高振宇", "contribution": "像控点自动识别算法开发"},
            {"name": "韩立新", "contribution": "外业试验组织与精度验证"},
            {"name": "陈思远", "contribution": "无人机挂载与投放机构调试"},
            {"name": "马文博", "contribution": "内业数据处理流程编写与培训"},
            {"name": "许静怡", "contribution": "成果应用推广与技术文档整理"},
        ],
        "first_completer_intro": "周启航，示例市自然资源调查监测院航测室主任、高级工程师，从事无人机航测与实景三维建模工作十五年，获市级技术能手称号，主持多项航测工艺改进。",
        "summary": (
            "适用领域：无人机航测、实景三维建模及耕地、林草、湿地监测中的像控测量工种。\n"
            "解决的问题：传统像控点靠人工喷漆或铺布布设，外业往返多，标志易损坏，内业刺点慢且易出错。\n"
            "创新点：研制可折叠编码标志板和机载定点投放机构，配套软件在影像上自动识别标志并匹配坐标，"
            "实现“布设—识别—刺点”一体化。\n"
            "效益：单个测区像控外业用时缩短约40%，内业刺点效率提高3倍以上，已在12个项目中推广，"
            "是立足岗位开展技术创新的典型成果。"
        ),
        "background": "像控点布设是无人机航测的必要环节。目前多采用人工喷漆、铺设标靶布等方式，布设慢、标志易被破坏，内业刺点依赖人工判读，在滩涂湿地和复杂地形中尤为突出。",
        "goals": "研制可快速布设、自动识别的像控标志装置：单点布设时间由15分钟降至5分钟以内；影像识别正确率≥98%；刺点误差≤1个像素；标志板可重复使用50次以上。",
        "innovations": (
            "1.可折叠编码标志板：轻质复合板加高反差编码图案，展开边长1米，折叠后可装入背包，单人可携带20块。\n"
            "2.机载定点投放机构：在多旋翼无人机下方加装投放仓，飞抵预设坐标后自动释放标志板，解决滩涂、沟渠等人员难以到达区域的布点难题。\n"
            "3.编码自动识别：内业软件按编码检索影像中的标志中心，自动完成刺点和坐标匹配，减少人工判读差错。\n"
            "4.全流程留痕：布设位置、投放时间和识别结果自动生成台账，便于质量检查。"
        ),
        "benefits": {
            "economic": "1.单个测区像控外业工日平均减少约40%，按年均30个测区计算，节约外业成本约45万元。\n2.内业刺点效率提高3倍以上；标志板可重复使用，减少喷漆和标靶布耗材支出。",
            "social": "1.减少作业人员进入滩涂、沟渠等危险区域的次数，降低外业安全风险。\n2.航测成果精度更稳定，为耕地保护和生态监测提供可靠的基础数据。\n3.形成可复制的操作规程，带动青年职工参与技术创新。",
        },
        "application": "自2023年9月起在示例市自然资源调查监测院航测室推广使用，先后应用于耕地卫片监测、湿地保护区实景三维建模等12个项目，累计布设像控点1300余个，识别正确率98.6%。",
        "new_quality_productivity": True,
        "_palette": ((222, 238, 250), (176, 208, 236), (22, 74, 128), (245, 166, 35)),
        "_motifs": ["drone", "target", "chart"],
        "_captions": ["无人机挂载投放仓飞抵预设像控点位", "折叠式编码标志板在耕地边缘展开", "内业软件自动识别标志并完成刺点"],
        "_sideways": 1,  # photo-2 is stored rotated with EXIF orientation 6
        "_highlights": [("外业用时", "缩短40%"), ("刺点效率", "提高3倍"), ("识别正确率", "98.6%")],
        "_chart_labels": ["布设", "识别", "刺点"],
        "_tablet_rows": [],
        "_transcript": (
            "这项成果是一套无人机航测像控点快速布设与识别装置。"
            "生产环节，我们用轻质复合板制作可折叠的编码标志板，并在无人机下方加装投放仓。"
            "使用时，无人机飞到预设点位自动投放标志板；航测完成后，软件按编码识别标志并完成刺点。"
            "应用一年来，外业用时缩短约百分之四十，刺点效率提高三倍以上。"
        ),
        "_quiz_inline": True,
        "_extra_quiz": [
            {"type": "single", "question": "本成果的编码标志板展开边长约为多少？", "options": ["0.3米", "0.5米", "1米", "2米"], "answer": [2],
             "explanation": "成果创新点写明：标志板展开边长1米，折叠后可装入背包。"},
            {"type": "judge", "question": "本成果的机载投放机构可以在人员难以到达的滩涂、沟渠布设像控点。", "options": ["正确", "错误"], "answer": [0],
             "explanation": "无人机飞抵预设坐标后自动释放标志板，解决人员难以到达区域的布点难题。"},
            {"type": "multiple", "question": "本成果实现了哪些环节的一体化？", "options": ["布设", "识别", "刺点", "人工喷漆"], "answer": [0, 1, 2],
             "explanation": "成果实现“布设—识别—刺点”一体化，正是为了取代人工喷漆。"},
        ],
    },
    {
        "id": "TJ2024-002",
        "title": "不动产测绘外业一体化采集成图方法",
        "award": "second",
        "category": "小设计",
        "kind": "方法创新",
        "originality": "部分自主创新",
        "patents": ["软著"],
        "applicant": "示例测绘地理信息有限公司不动产测绘部",
        "unit": "示例测绘地理信息有限公司",
        "union": "示例市规划资源系统工会",
        "industry": "科学研究和技术服务业-专业技术服务业",
        "completed": "2023-06",
        "practice_months": 15,
        "completers": [
            {"name": "刘承泽", "contribution": "方法总体设计，编写作业流程"},
            {"name": "孙雅楠", "contribution": "移动端采集模板与数据字典设计"},
            {"name": "赵国栋", "contribution": "自动成图脚本开发"},
            {"name": "吴海峰", "contribution": "外业试点与问题反馈"},
            {"name": "郑可欣", "contribution": "质量检查规则编制"},
        ],
        "first_completer_intro": "刘承泽，示例测绘地理信息有限公司不动产测绘部技术负责人、工程师，从事不动产测绘与权籍调查十年，熟悉房产面积测算规范，多次在市级测绘技能竞赛中获奖。",
        "summary": (
            "适用领域：不动产测绘、房产面积测算和权籍调查外业工种。\n"
            "解决的问题：以往外业用纸质草图记录边长和界址，回到单位再手工录入、绘图，重复劳动多，草图丢失或字迹不清常导致返工。\n"
            "创新点：设计“采集即成图”作业方法，外业在平板上按统一模板记录界址点、边长和房屋结构，现场实时校核闭合差，"
            "数据回传后由脚本自动生成分层分户图和面积计算表。\n"
            "效益：单宗地外业、内业总用时缩短约35%，返工率由8%降至2%以下。"
        ),
        "background": "不动产测绘工作量大、时效要求高。传统作业依赖纸质草图，外业记录与内业成图分离，信息重复录入，边长和界址点编号容易出错，发现问题后往往需要二次进场。",
        "goals": "建立外业采集与内业成图一体化流程：边长闭合差现场自动校核、超限即时提示；单宗地成图时间由2小时缩短至40分钟；成果返工率控制在2%以内。",
        "innovations": (
            "1.统一采集模板：把界址点、边长、房屋结构、层数等要素做成标准化表单，减少自由书写。\n"
            "2.现场校核：录入边长后自动计算闭合差和面积差，超出限差立即提醒补测。\n"
            "3.自动成图：开发成图脚本，按数据字典自动生成分层分户图、宗地图和面积计算表，已登记软件著作权。\n"
            "4.过程留痕：外业照片、草图和数据自动关联，方便质检追溯。"
        ),
        "benefits": {
            "economic": "1.单宗地总用时由约3.5小时降至2.3小时，按年均2000宗计算，节约人工约2400小时。\n2.减少二次进场，每年节约车辆和外业补助费用约18万元。",
            "social": "1.缩短群众办理不动产登记的等待时间，提升服务满意度。\n2.作业过程规范，人为差错减少，成果更可信。\n3.降低新员工上手难度，便于技术传承。",
        },
        "application": "2023年6月起在示例测绘地理信息有限公司不动产测绘部全面使用，累计完成宗地测绘2600余宗，成果一次通过率98%以上，并在两家兄弟单位试用。",
        "new_quality_productivity": False,
        "_palette": ((240, 236, 224), (222, 210, 186), (110, 72, 30), (40, 120, 170)),
        "_motifs": ["parcel", "tablet", "chart"],
        "_captions": ["外业人员在平板上按模板记录界址点", "现场自动校核边长闭合差", "自动生成的分层分户图与面积计算表"],
        "_sideways": None,
        "_highlights": [("总用时", "缩短35%"), ("返工率", "低于2%"), ("完成宗地", "2600余宗")],
        "_chart_labels": ["采集", "校核", "成图"],
        "_tablet_rows": ["界址点  J1-J6", "边长  12.36 米", "房屋结构  砖混", "闭合差  合格"],
        "_transcript": (
            "这是一种不动产测绘外业一体化采集成图方法。"
            "过去外业画纸质草图，回到单位再重新录入，既慢又容易出错。"
            "现在外业人员在平板上按统一模板记录界址点和边长，系统现场校核闭合差，数据回传后自动生成分层分户图和面积计算表。"
            "单宗地总用时缩短约三分之一，返工率降到百分之二以下。"
        ),
        "_quiz_inline": False,
        "_extra_quiz": [
            {"type": "single", "question": "本成果把单宗地成图时间的目标定为多少？", "options": ["2小时", "1小时", "40分钟", "10分钟"], "answer": [2],
             "explanation": "成果目标：单宗地成图时间由2小时缩短至40分钟。"},
            {"type": "judge", "question": "本成果的自动成图脚本已登记软件著作权。", "options": ["正确", "错误"], "answer": [0],
             "explanation": "专利情况为软著：自动成图脚本已登记软件著作权。"},
            {"type": "multiple", "question": "本成果的外业采集模板包含哪些要素？", "options": ["界址点", "边长", "房屋结构", "权利人家庭住址"], "answer": [0, 1, 2],
             "explanation": "模板记录界址点、边长、房屋结构、层数等测绘要素，不采集与测绘无关的个人信息。"},
        ],
    },
    {
        "id": "TJ2024-003",
        "title": "耕地林草湿地变化图斑智能比对方法",
        "award": "third",
        "category": "小创造",
        "kind": "方法创新",
        "originality": "部分自主创新",
        "patents": ["软著"],
        "applicant": "示例市自然资源调查监测院遥感监测中心",
        "unit": "示例市自然资源调查监测院",
        "union": "示例市规划资源系统工会",
        "industry": "科学研究和技术服务业-专业技术服务业",
        "completed": "2024-01",
        "practice_months": 8,
        "completers": [
            {"name": "杨思淼", "contribution": "方法设计与地类规则库构建"},
            {"name": "何志坚", "contribution": "多时相影像配准与变化检测模型训练"},
            {"name": "罗晓晨", "contribution": "图斑比对软件界面开发"},
            {"name": "唐雨桐", "contribution": "外业核查验证与精度统计"},
        ],
        "first_completer_intro": "杨思淼，示例市自然资源调查监测院遥感监测中心工程师，从事国土变更调查和卫片监测工作八年，擅长遥感影像解译，参与编写单位内部监测技术规程。",
        "summary": (
            "适用领域：耕地、林草、湿地年度变化监测和图斑核查工种。\n"
            "解决的问题：年度监测需要对两期影像逐块人工比对，图斑数量大，容易漏判、误判，外业核查任务分配也靠手工整理。\n"
            "创新点：把变化检测模型与地类规则库结合，自动标出疑似变化图斑，按“耕地转非耕地”“林草减少”“湿地萎缩”分类排序，"
            "生成带坐标的核查清单并推送到外业终端。\n"
            "效益：内业比对效率提高约2倍，漏判明显减少，为耕地保护和生态修复提供及时数据。"
        ),
        "background": "耕地、林草、湿地变化监测是自然资源调查监测的重点任务。现有流程以人工目视比对两期影像为主，单个区县年均图斑上万个，作业强度大，结果受个人经验影响，时效难保证。",
        "goals": "实现疑似变化图斑自动提取与分类：召回率≥95%，虚警率≤15%；单个区县内业比对时间由10个工作日缩短至3个工作日；核查清单自动生成，坐标误差≤2米。",
        "innovations": (
            "1.模型加规则：深度学习变化检测结果叠加地类规则库，过滤季节性变化和阴影干扰，降低虚警。\n"
            "2.分类排序：按地类转换类型和面积自动分级，优先推送耕地“非农化”等重点图斑。\n"
            "3.一键生成核查清单：图斑编号、坐标和前后时相截图自动汇总，外业终端可直接导航到现场。\n"
            "4.结果回流：外业核查结论回传后用于更新规则库，越用越准。"
        ),
        "benefits": {
            "economic": "1.单个区县内业比对由约10个工作日降至3个工作日，全年节约人工成本约26万元。\n2.外业核查路线更合理，车辆里程减少约两成。",
            "social": "1.及时发现耕地违法占用、湿地萎缩等问题，支撑耕地保护和生态保护修复。\n2.减轻重复劳动，技术人员可把精力放在疑难图斑判读上。",
        },
        "application": "2024年1月起用于示例市3个区县的耕地和林草湿地年度变化监测，累计处理疑似图斑18000余个，外业核查确认率87%，已纳入单位年度监测作业流程。",
        "new_quality_productivity": True,
        "_palette": ((226, 243, 228), (184, 222, 190), (30, 96, 56), (214, 64, 52)),
        "_motifs": ["change", "wetland", "tablet"],
        "_captions": ["前后两期影像自动比对，标出疑似变化图斑", "湿地与林草变化图斑分类展示", "耕地图斑核查清单推送至外业终端"],
        "_sideways": None,
        "_highlights": [("召回率", "95%以上"), ("内业比对", "10天变3天"), ("处理图斑", "18000余个")],
        "_chart_labels": ["耕地", "林草", "湿地"],
        "_tablet_rows": ["图斑 0127  耕地转非耕地", "图斑 0133  林草减少", "图斑 0158  湿地萎缩", "导航到现场"],
        "_transcript": (
            "这项成果是耕地林草湿地变化图斑的智能比对方法。"
            "我们把变化检测模型和地类规则库结合起来，先由计算机自动找出两期影像中的疑似变化图斑，再按耕地转非耕地、林草减少、湿地萎缩分类排序。"
            "系统一键生成核查清单，推送到外业终端。"
            "单个区县的内业比对时间从十个工作日缩短到三个工作日。"
        ),
        "_quiz_inline": True,
        "_extra_quiz": [
            {"type": "single", "question": "本成果要求疑似变化图斑的召回率达到多少？", "options": ["不低于80%", "不低于90%", "不低于95%", "100%"], "answer": [2],
             "explanation": "成果目标：召回率≥95%，虚警率≤15%。"},
            {"type": "judge", "question": "本成果完全依靠深度学习模型，不使用任何规则库。", "options": ["正确", "错误"], "answer": [1],
             "explanation": "本成果的创新点正是“模型加规则”：变化检测结果叠加地类规则库。"},
            {"type": "multiple", "question": "本成果把疑似变化图斑分为哪些类型？", "options": ["耕地转非耕地", "林草减少", "湿地萎缩", "建筑物外墙翻新"], "answer": [0, 1, 2],
             "explanation": "图斑按“耕地转非耕地”“林草减少”“湿地萎缩”分类排序。"},
        ],
    },
    {
        "id": "TJ2024-004",
        "title": "地下管线探测仪快拆式定位支架",
        "award": "third",
        "category": "小革新",
        "kind": "设备革新",
        "originality": "部分自主创新",
        "patents": ["实用新型专利"],
        "applicant": "示例市勘察测绘研究院地下管线分院",
        "unit": "示例市勘察测绘研究院",
        "union": "示例市规划资源系统工会",
        "industry": "科学研究和技术服务业-专业技术服务业",
        "completed": "2023-04",
        "practice_months": 18,
        "completers": [
            {"name": "董建军", "contribution": "支架结构设计与样机加工"},
            {"name": "曹一鸣", "contribution": "快拆接口改进与现场试验"},
            {"name": "邓晓峰", "contribution": "精度对比测试与数据分析"},
        ],
        "first_completer_intro": "董建军，示例市勘察测绘研究院地下管线分院技师，从事地下管线探测十二年，熟练使用多种管线探测仪和探地雷达，多次承担城市老旧管网普查任务。",
        "summary": (
            "适用领域：城市地下管线探测、管线普查与竣工测量工种。\n"
            "解决的问题：手持管线探测仪定位时靠人扶持，仪器晃动、倾斜导致深度读数不稳，多次读数取平均费时，在车流较多的路段还有安全隐患。\n"
            "创新点：革新设计快拆式三脚定位支架，带水平气泡和高度刻度，探测仪一扣即装；顶部预留GNSS接收机接口，定位与测坐标一次完成。\n"
            "效益：单点探测时间缩短约30%，深度测量重复性误差由约5厘米降至2厘米以内。"
        ),
        "background": "地下管线探测多在城市道路上进行，探测仪需保持垂直、稳定。以往人工手持仪器，长时间作业易疲劳，读数受晃动影响大；测坐标还要另外立杆对点，效率低。",
        "goals": "设计可快速装拆的定位支架：装拆时间≤10秒；仪器倾斜≤1°；深度测量重复性误差≤2厘米；支架重量≤1.5千克，并与常用对中杆通用。",
        "innovations": (
            "1.快拆卡扣：采用弹簧锁止卡扣，探测仪一扣即装、一按即卸，适配两种常用型号。\n"
            "2.水平气泡和高度刻度：读数时仪器保持垂直，减少人为晃动误差。\n"
            "3.对中杆通用接口：支架顶部预留螺纹接口，可直接安装GNSS接收机，定位与测坐标一次完成。\n"
            "4.轻量化：铝合金折叠腿，收纳后长度60厘米，方便背负。"
        ),
        "benefits": {
            "economic": "1.单点探测和测坐标总用时由约4分钟降至2.8分钟，每年节约外业工日约120个。\n2.支架单件加工成本约300元，远低于外购专用支架。",
            "social": "1.减少作业人员在机动车道上的停留时间，降低交通安全风险。\n2.管线深度数据更可靠，为城市更新和道路开挖提供依据，减少挖断管线事故。",
        },
        "application": "2023年4月起在示例市勘察测绘研究院地下管线分院推广，已配发20套，应用于老旧小区管网普查等9个项目，累计探测管线点4000余个。",
        "new_quality_productivity": False,
        "_palette": ((236, 232, 246), (204, 196, 228), (70, 52, 120), (236, 120, 40)),
        "_motifs": ["pipe", "tripod", "road"],
        "_captions": ["快拆式定位支架架设在探测点上", "支架顶部安装卫星定位接收机同步测坐标", "道路探测作业与安全围挡示意"],
        "_sideways": None,
        "_highlights": [("单点用时", "缩短30%"), ("深度误差", "2厘米以内"), ("装拆时间", "10秒以内")],
        "_chart_labels": ["定位", "测深", "测坐标"],
        "_tablet_rows": [],
        "_transcript": (
            "这是地下管线探测仪的快拆式定位支架。"
            "支架用铝合金折叠腿和弹簧卡扣制成，探测仪一扣就能装上，还自带水平气泡和高度刻度。"
            "作业时把支架架在探测点上，仪器保持垂直，深度读数更稳定，顶部还可以安装卫星定位接收机，同时测坐标。"
            "单点作业时间缩短约百分之三十。"
        ),
        "_quiz_inline": False,
        "_extra_quiz": [
            {"type": "single", "question": "本成果要求支架的装拆时间不超过多少？", "options": ["5秒", "10秒", "30秒", "1分钟"], "answer": [1],
             "explanation": "成果目标：装拆时间≤10秒。"},
            {"type": "judge", "question": "本成果的支架顶部可以安装卫星定位（GNSS）接收机。", "options": ["正确", "错误"], "answer": [0],
             "explanation": "支架顶部预留螺纹接口，定位与测坐标一次完成。"},
            {"type": "single", "question": "本成果把深度测量重复性误差控制在多少以内？", "options": ["2厘米", "5厘米", "10厘米", "20厘米"], "answer": [0],
             "explanation": "深度测量重复性误差由约5厘米降至2厘米以内。"},
        ],
    },
    {
        "id": "TJ2024-005",
        "title": "GNSS基准站巡检记录表优化建议",
        "award": "encouragement",
        "category": "小建议",
        "kind": "工作创意",
        "originality": "综合应用",
        "patents": [],
        "applicant": "示例市基础测绘保障中心基准站运维组",
        "unit": "示例市基础测绘保障中心",
        "union": "示例市规划资源系统工会",
        "industry": "科学研究和技术服务业-专业技术服务业",
        "completed": "2024-03",
        "practice_months": 6,
        "completers": [
            {"name": "梁晨曦", "contribution": "提出建议并编制巡检记录表"},
            {"name": "宋佳琪", "contribution": "试用反馈与表格修订"},
        ],
        "first_completer_intro": "梁晨曦，示例市基础测绘保障中心助理工程师，负责卫星导航定位基准站日常运维四年，熟悉基准站设备和观测数据质量检查流程。",
        "summary": (
            "适用领域：卫星导航定位基准站（GNSS基准站）日常巡检与运维工种。\n"
            "解决的问题：原巡检记录表项目分散、填写口径不一，供电、网络、观测数据质量等信息记在不同表格里，故障原因难以追溯。\n"
            "建议内容：把巡检项目归并为“环境—供电—通信—设备—数据”五类二十项，统一填写口径和异常分级，记录按月汇总成趋势表。\n"
            "效益：单站巡检记录时间缩短约一半，隐患发现更及时，是一项低成本的管理创新。"
        ),
        "background": "基准站是测绘基准服务的重要基础设施。站点分散，巡检依靠人工记录，原有表格项目多而零散，不同人员填写标准不一致，月度汇总工作量大，设备隐患难以及早发现。",
        "goals": "优化巡检记录表：巡检项目归并为5类20项；单站记录时间由30分钟降至15分钟以内；异常分为3级；月度汇总由人工2天缩短为半天。",
        "innovations": (
            "1.归类梳理：按环境、供电、通信、设备、数据五类重新编排巡检项目，避免漏项。\n"
            "2.统一口径：每项给出判定标准和填写示例，减少不同人员的记录差异。\n"
            "3.异常分级：问题分为提示、关注、立即处理三级，对应不同处置时限。\n"
            "4.趋势汇总：按月生成关键指标趋势表，便于提前发现设备老化等隐患。"
        ),
        "benefits": {
            "economic": "1.单站巡检记录时间缩短约一半，全年节约人工约160小时。\n2.提前发现蓄电池老化等隐患，减少设备突发故障的维修费用。",
            "social": "1.基准站运行更稳定，保障测绘定位服务连续可靠。\n2.表格规范易学，新员工能快速掌握巡检要求。",
        },
        "application": "2024年3月起在示例市基础测绘保障中心所辖基准站试行，已完成巡检140余站次，发现并处置供电异常等隐患7处。",
        "new_quality_productivity": False,
        "_palette": ((226, 240, 246), (186, 220, 232), (16, 84, 110), (230, 80, 90)),
        "_motifs": ["station", "checklist", "chart"],
        "_captions": ["卫星导航定位基准站日常巡检", "优化后的“五类二十项”巡检记录表", "月度关键指标趋势汇总"],
        "_sideways": None,
        "_highlights": [("巡检项目", "5类20项"), ("记录时间", "缩短一半"), ("处置隐患", "7处")],
        "_chart_labels": ["一月", "二月", "三月"],
        "_checklist": ["环境", "供电", "通信", "设备", "数据"],
        "_tablet_rows": [],
        "_spoken_title": "卫星导航基准站巡检记录表优化建议",
        "_transcript": (
            "这是一条关于卫星导航定位基准站巡检记录表的优化建议。"
            "原来的巡检表格项目分散，不同人员填写口径不一。"
            "我们把巡检项目归并为环境、供电、通信、设备、数据五类二十项，统一判定标准，并把异常分成三级。"
            "试行以来，单站记录时间缩短约一半，隐患发现更加及时。"
        ),
        "_quiz_inline": True,
        "_extra_quiz": [
            {"type": "single", "question": "优化后的基准站巡检记录表共有多少项？", "options": ["10项", "15项", "20项", "30项"], "answer": [2],
             "explanation": "巡检项目归并为五类二十项。"},
            {"type": "multiple", "question": "优化后的巡检项目包括哪几类？", "options": ["环境", "供电", "通信", "财务报销"], "answer": [0, 1, 2],
             "explanation": "五类为环境、供电、通信、设备、数据。"},
            {"type": "judge", "question": "本成果属于“工作创意”类，即切实可行的合理化建议。", "options": ["正确", "错误"], "answer": [0],
             "explanation": "小建议对应的申报类型是工作创意（合理化建议）。"},
        ],
    },
    {
        "id": "JS2024-001",
        "title": "薄板焊接变形随焊校正夹具",
        "award": "second",
        "category": "小创造",
        "kind": "设备革新",
        "originality": "全部自主独创",
        "patents": ["实用新型专利"],
        "applicant": "某装备制造有限公司结构件车间焊接班组",
        "unit": "某装备制造有限公司",
        "union": "示例市机械冶金工会",
        "industry": "制造业-通用设备制造业",
        "completed": "2023-11",
        "practice_months": 10,
        "completers": [
            {"name": "钱德胜", "contribution": "提出夹具原理，主持设计与试制"},
            {"name": "范文涛", "contribution": "夹紧机构和冷却水路设计"},
            {"name": "蒋丽娜", "contribution": "焊接工艺参数试验"},
            {"name": "沈浩然", "contribution": "变形测量与数据统计"},
            {"name": "彭晓东", "contribution": "现场安装调试"},
            {"name": "邵明哲", "contribution": "操作规程编写与班组培训"},
        ],
        "first_completer_intro": "钱德胜，某装备制造有限公司结构件车间焊接班长、高级技师，从事焊接工作二十年，擅长薄板和不锈钢焊接，获评市级工匠，带徒二十余人。",
        "summary": (
            "适用领域：通用设备制造业薄板结构件焊接工种，如设备外罩、电控柜柜体。\n"
            "解决的问题：3毫米以下薄板焊后易产生波浪变形，过去靠火焰加热和人工锤击校正，费时费力，还会损伤表面。\n"
            "创新点：自主研制随焊校正夹具，焊枪前方压轮随动压紧，焊缝两侧铜制水冷压条快速导热，焊接与校正同步完成。\n"
            "效益：焊后平面度由约4毫米提高到1毫米以内，校正工时减少70%，一次合格率提升到96%。"
        ),
        "background": "薄板结构件焊接热输入集中，焊后变形普遍。常用焊后火焰校正或机械校正，需专人操作，工时长，反复加热还影响材料性能和外观，成为车间交付的瓶颈。",
        "goals": "实现焊接与变形控制同步：焊后平面度≤1毫米/米；校正工时减少≥60%；夹具换型时间≤15分钟；适用板厚1至3毫米。",
        "innovations": (
            "1.随动压轮：压轮与焊枪同步移动，始终在熔池前方压紧板材，抑制波浪变形。\n"
            "2.铜制水冷压条：焊缝两侧压条通循环冷却水，快速带走热量，缩小热影响区。\n"
            "3.快换定位块：按产品尺寸预制定位块，换型不必重新划线。\n"
            "4.结构简单：采用车间常用标准件，易于维护和推广。"
        ),
        "benefits": {
            "economic": "1.校正工时减少70%，每年节约工时约3000小时，折合人工成本约27万元。\n2.减少火焰校正燃气消耗和返修材料，每年节约费用约8万元。",
            "social": "1.减少火焰加热和锤击作业，降低噪声、烫伤风险和劳动强度。\n2.产品外观质量提升，交付周期缩短，增强企业竞争力。\n3.在班组中形成技术创新的带动效应。",
        },
        "application": "2023年11月起在某装备制造有限公司结构件车间两条焊接线使用，累计焊接薄板结构件12000余件，一次合格率由83%提升至96%。",
        "new_quality_productivity": False,
        "_palette": ((246, 236, 226), (232, 206, 182), (120, 50, 20), (250, 190, 40)),
        "_motifs": ["weld", "clamp", "chart"],
        "_captions": ["随焊校正夹具与焊枪同步移动", "焊缝两侧水冷铜压条结构示意", "焊后平面度与一次合格率对比"],
        "_sideways": None,
        "_highlights": [("焊后平面度", "1毫米以内"), ("校正工时", "减少70%"), ("一次合格率", "96%")],
        "_chart_labels": ["改进前", "试制", "改进后"],
        "_tablet_rows": [],
        "_transcript": (
            "这是一套薄板焊接变形随焊校正夹具。"
            "夹具由随动压轮、水冷铜压条和快换定位块组成，用车间常用的标准件就能加工。"
            "焊接时，压轮在焊枪前方压紧板材，冷却水带走热量，焊完基本不变形。"
            "使用以来，校正工时减少百分之七十，一次合格率提高到百分之九十六。"
        ),
        "_quiz_inline": False,
        "_extra_quiz": [
            {"type": "single", "question": "本成果适用的板厚范围是？", "options": ["0.1至0.5毫米", "1至3毫米", "5至10毫米", "20毫米以上"], "answer": [1],
             "explanation": "成果目标：适用板厚1至3毫米。"},
            {"type": "multiple", "question": "本成果的夹具由哪些部分组成？", "options": ["随动压轮", "水冷铜压条", "快换定位块", "火焰加热枪"], "answer": [0, 1, 2],
             "explanation": "夹具由随动压轮、水冷铜压条和快换定位块组成，取代了火焰校正。"},
            {"type": "judge", "question": "使用本成果后，薄板仍需要大量焊后火焰校正。", "options": ["正确", "错误"], "answer": [1],
             "explanation": "焊接与校正同步完成，校正工时减少70%。"},
        ],
    },
    {
        "id": "JS2024-002",
        "title": "配电线路巡检语音记录与缺陷识别方法",
        "award": "third",
        "category": "小设计",
        "kind": "方法创新",
        "originality": "部分自主创新",
        "patents": ["软著"],
        "applicant": "示例供电服务有限公司运维检修班",
        "unit": "示例供电服务有限公司",
        "union": "示例市电力行业工会",
        "industry": "电力、热力、燃气及水生产和供应业-电力、热力生产和供应业",
        "completed": "2024-02",
        "practice_months": 7,
        "completers": [
            {"name": "袁振华", "contribution": "方法设计与缺陷术语库整理"},
            {"name": "蔡梦瑶", "contribution": "语音记录模板与移动端配置"},
            {"name": "江浩宇", "contribution": "缺陷照片识别模型调试"},
            {"name": "潘立群", "contribution": "巡检现场试用与流程优化"},
            {"name": "程书悦", "contribution": "数据统计与推广培训"},
        ],
        "first_completer_intro": "袁振华，示例供电服务有限公司运维检修班班长、技师，从事配电线路运维十六年，熟悉架空线路和电缆巡检标准，多次获得公司安全生产先进个人称号。",
        "summary": (
            "适用领域：电力行业配电线路巡视、缺陷登记和运维检修工种。\n"
            "解决的问题：巡检人员登杆、看线时双手不便记录，回到班组再补录，缺陷描述不规范，照片与杆号对应不上。\n"
            "创新点：设计“语音加照片”巡检记录方法，按缺陷术语库口述即可生成结构化记录，照片自动关联杆塔编号，识别模型提示常见缺陷类型。\n"
            "效益：单条线路巡检记录时间缩短约45%，缺陷登记规范率达到98%，电力安全生产管理更精细。"
        ),
        "background": "配电线路点多面广，巡检以人工为主。现场记录靠纸笔或事后补录，描述口径不一，照片与杆塔编号对应困难，缺陷统计需要大量人工整理，影响消缺及时性。",
        "goals": "建立语音结构化巡检记录方法：语音转写准确率≥95%；照片与杆塔编号自动匹配率≥99%；单条线路记录整理时间由1.5小时缩短至50分钟。",
        "innovations": (
            "1.缺陷术语库：整理常见缺陷标准描述300余条，口述时自动匹配规范用语。\n"
            "2.语音结构化：按“杆号—部位—缺陷—等级”顺序口述，自动生成表格记录。\n"
            "3.照片自动关联：拍照时读取定位信息，匹配最近的杆塔编号。\n"
            "4.缺陷提示：识别模型对绝缘子破损、鸟窝等常见缺陷给出提示，由巡检人员确认。"
        ),
        "benefits": {
            "economic": "1.班组每年巡检线路约300条次，节约记录整理工时约350小时。\n2.缺陷发现和处理更及时，减少故障停电带来的损失。",
            "social": "1.巡检人员双手解放，登高作业更安全。\n2.供电可靠性提高，保障居民和企业用电。\n3.规范的数据为线路状态评价和检修计划提供依据。",
        },
        "application": "2024年2月起在示例供电服务有限公司3个运维检修班应用，覆盖10千伏线路80余条，累计登记缺陷1200余条，消缺平均时长缩短2天。",
        "new_quality_productivity": True,
        "_palette": ((228, 236, 250), (190, 206, 240), (28, 48, 112), (250, 200, 30)),
        "_motifs": ["tower", "voice", "chart"],
        "_captions": ["配电线路杆塔巡检现场示意", "口述生成“杆号—部位—缺陷—等级”记录", "缺陷登记规范率统计"],
        "_sideways": None,
        "_highlights": [("记录时间", "缩短45%"), ("登记规范率", "98%"), ("覆盖线路", "80余条")],
        "_chart_labels": ["试用", "推广", "全面应用"],
        "_tablet_rows": ["杆号  12", "部位  绝缘子", "缺陷  破损", "等级  一般"],
        "_transcript": (
            "这是一种配电线路巡检语音记录与缺陷识别方法。"
            "巡检人员在现场按照杆号、部位、缺陷、等级的顺序口述，系统根据缺陷术语库生成规范记录，拍摄的照片自动关联最近的杆塔编号。"
            "识别模型还会提示绝缘子破损、鸟窝等常见缺陷。"
            "应用以后，单条线路记录时间缩短约百分之四十五。"
        ),
        "_quiz_inline": True,
        "_extra_quiz": [
            {"type": "single", "question": "本成果规定的口述记录顺序是？", "options": ["杆号—部位—缺陷—等级", "等级—缺陷—部位—杆号", "部位—杆号—等级—缺陷", "缺陷—等级—杆号—部位"], "answer": [0],
             "explanation": "按“杆号—部位—缺陷—等级”顺序口述，自动生成表格记录。"},
            {"type": "judge", "question": "本成果的缺陷识别结果不需要人员确认即可直接归档。", "options": ["正确", "错误"], "answer": [1],
             "explanation": "识别模型只给出提示，由巡检人员确认。"},
            {"type": "multiple", "question": "本成果的识别模型可以提示哪些常见缺陷？", "options": ["绝缘子破损", "鸟窝", "用户电费欠缴", "营业厅排队"], "answer": [0, 1],
             "explanation": "模型针对线路本体缺陷，如绝缘子破损、鸟窝等。"},
        ],
    },
    {
        "id": "JS2024-003",
        "title": "机加工车间安全巡查“一码通”建议",
        "award": "encouragement",
        "category": "小建议",
        "kind": "工作创意",
        "originality": "综合应用",
        "patents": [],
        "applicant": "葛文静",
        "unit": "某精密机械有限公司",
        "union": "示例市机械冶金工会",
        "industry": "制造业-通用设备制造业",
        "completed": "2024-04",
        "practice_months": 5,
        "completers": [
            {"name": "葛文静", "contribution": "提出建议，设计扫码点检流程并组织试行"},
        ],
        "first_completer_intro": "葛文静，某精密机械有限公司安全环保部安全员，注册安全工程师，从事机加工车间安全管理六年，熟悉设备安全检查和隐患排查治理工作。",
        "summary": (
            "适用领域：机械加工车间安全生产检查、设备点检和隐患排查。\n"
            "解决的问题：车间设备多，纸质点检表挂在机床旁容易污损，漏检难发现，隐患整改进度靠口头催办。\n"
            "建议内容：为每台设备和每个危险作业点张贴二维码，扫码即可查看安全操作要点、提交点检结果和上报隐患，整改进度自动提醒。\n"
            "效益：点检漏检明显减少，隐患平均整改时间由5天缩短到2天，是一项投入小、见效快的管理创新。"
        ),
        "background": "机加工车间设备数量多、工序交叉，安全检查依赖纸质表格。点检记录易污损、难汇总，隐患上报渠道不畅，整改闭环靠人工跟踪，安全管理存在盲区。",
        "goals": "建立扫码巡查机制：覆盖车间全部120台设备和15个危险作业点；点检漏检率降至1%以下；隐患平均整改时间由5天缩短至2天。",
        "innovations": (
            "1.一设备一码：二维码关联设备档案、安全操作要点和点检项目。\n"
            "2.扫码点检：职工用手机扫码逐项确认，异常项拍照上报。\n"
            "3.闭环提醒：隐患按责任人自动推送，超期自动提醒车间负责人。\n"
            "4.零硬件投入：利用企业现有办公平台实现，无需新增设备。"
        ),
        "benefits": {
            "economic": "1.点检汇总由每周半天人工整理变为自动生成，每年节约管理工时约100小时。\n2.隐患及时整改，减少设备故障停机，每年减少损失约6万元。",
            "social": "1.操作要点随扫随看，职工安全意识明显增强。\n2.隐患整改闭环可追溯，安全生产管理更规范。",
        },
        "application": "2024年4月起在某精密机械有限公司两个机加工车间试行，张贴设备二维码135个，累计扫码点检9000余次，上报并整改隐患46项。",
        "new_quality_productivity": False,
        "_palette": ((236, 244, 226), (206, 226, 184), (60, 90, 30), (240, 140, 20)),
        "_motifs": ["qrcode", "phone", "chart"],
        "_captions": ["机床旁张贴的安全巡查二维码", "扫码查看安全操作要点并提交点检", "隐患整改闭环统计"],
        "_sideways": None,
        "_highlights": [("设备二维码", "135个"), ("整改时间", "5天变2天"), ("整改隐患", "46项")],
        "_chart_labels": ["四月", "五月", "六月"],
        "_tablet_rows": ["防护罩  已确认", "急停按钮  已确认", "切削液  已确认", "上报隐患"],
        "_transcript": (
            "这是一条机加工车间安全巡查一码通的建议。"
            "我们为每台设备和每个危险作业点张贴二维码，职工用手机扫一扫，就能查看安全操作要点、提交点检结果、上报隐患。"
            "隐患会自动推送给责任人，超期还会提醒车间负责人。"
            "试行以来，隐患平均整改时间从五天缩短到两天。"
        ),
        "_quiz_inline": False,
        "_extra_quiz": [
            {"type": "single", "question": "本建议试行后，隐患平均整改时间缩短到多少？", "options": ["1天", "2天", "5天", "10天"], "answer": [1],
             "explanation": "隐患平均整改时间由5天缩短到2天。"},
            {"type": "judge", "question": "本建议需要采购大量新硬件才能实现。", "options": ["正确", "错误"], "answer": [1],
             "explanation": "本建议利用企业现有办公平台实现，无需新增设备。"},
            {"type": "multiple", "question": "职工扫码后可以做什么？", "options": ["查看安全操作要点", "提交点检结果", "上报隐患", "修改设备出厂参数"], "answer": [0, 1, 2],
             "explanation": "扫码可查看要点、提交点检、上报隐患；设备参数不能随意修改。"},
        ],
    },
]

# General 五小 knowledge, from the Tianjin plan and the Jiangsu notice.
GENERAL_QUIZ: list[dict] = [
    {"type": "single", "question": "职工“五小”创新成果中的“五小”是指哪五类？",
     "options": ["小发明、小创造、小革新、小设计、小建议", "小发明、小改造、小工具、小窍门、小建议", "小创意、小技巧、小革新、小设计、小课题", "小发明、小创造、小工艺、小设备、小方法"],
     "answer": [0], "explanation": "“五小”即小发明、小创造、小革新、小设计、小建议。"},
    {"type": "multiple", "question": "下列哪些属于“五小”成果类别？", "options": ["小发明", "小革新", "小设计", "小课题"],
     "answer": [0, 1, 2], "explanation": "五类为小发明、小创造、小革新、小设计、小建议，“小课题”不在其中。"},
    {"type": "multiple", "question": "天津市自然资源调查监测“五小”征集活动的申报类型有哪些？", "options": ["设备革新", "方法创新", "工作创意", "评优评先"],
     "answer": [0, 1, 2], "explanation": "方案把成果分为设备革新、方法创新、工作创意三种类型。"},
    {"type": "single", "question": "“工作创意”类成果主要是指什么？", "options": ["切实可行的合理化建议", "对设备、仪器进行改造", "对技术流程进行改造", "已取得专利的发明"],
     "answer": [0], "explanation": "工作创意是围绕降本增效、精细化管理、风险防控等提出的切实可行的合理化建议。"},
    {"type": "single", "question": "天津方案中“五小”创新成果一等奖设置几个？", "options": ["1个", "2个", "3个", "不限数量"],
     "answer": [0], "explanation": "优秀奖设一等奖1个、二等奖2个、三等奖3个。"},
    {"type": "single", "question": "天津方案中“五小”创新成果三等奖设置几个？", "options": ["1个", "2个", "3个", "5个"],
     "answer": [2], "explanation": "优秀奖设一等奖1个、二等奖2个、三等奖3个。"},
    {"type": "single", "question": "集体申报的成果获得二等奖时，获奖人数不超过多少人？", "options": ["3人", "5人", "7人", "9人"],
     "answer": [2], "explanation": "集体申报获奖人数上限：一等奖9人、二等奖7人、三等奖5人、鼓励奖3人。"},
    {"type": "judge", "question": "集体申报的“五小”创新成果鼓励奖，获奖人数不超过3人。", "options": ["正确", "错误"],
     "answer": [0], "explanation": "方案规定鼓励奖集体申报获奖人数不超过3人。"},
    {"type": "single", "question": "按江苏征集要求，一项成果的完成人最多不能超过多少人？", "options": ["9人", "10人", "15人", "20人"],
     "answer": [3], "explanation": "成果完成人最多不能超过20人。"},
    {"type": "single", "question": "第一完成人简介的字数要求是多少？", "options": ["不超过50字", "不超过100字", "不超过300字", "不超过500字"],
     "answer": [1], "explanation": "第一完成人简介不超过100字。"},
    {"type": "single", "question": "成果照片应满足什么要求？", "options": ["JPG格式，分辨率不小于300dpi，不少于三张", "PNG格式，一张即可", "任意格式，分辨率不限", "必须嵌入文档中提交"],
     "answer": [0], "explanation": "照片为独立的JPG文件，分辨率不小于300dpi，不少于三张。"},
    {"type": "single", "question": "成果视频的规格要求是？", "options": ["MP4格式，1920×1080，5分钟以内", "AVI格式，720P，时长不限", "MP4格式，4K，10分钟以内", "任意格式和时长"],
     "answer": [0], "explanation": "视频时长5分钟以内，MP4格式，1920×1080高清画质。"},
    {"type": "judge", "question": "每项“五小”成果的题库数量不少于20道。", "options": ["正确", "错误"],
     "answer": [0], "explanation": "成果题库数量标准：每项成果不少于20道。"},
    {"type": "multiple", "question": "推荐表中“独创性”一栏可以选择哪些？", "options": ["全部自主独创", "部分自主创新", "综合应用（无自主独创）", "引进购买"],
     "answer": [0, 1, 2], "explanation": "独创性分为全部自主独创、部分自主创新、综合应用（无自主独创）。"},
    {"type": "judge", "question": "已获得天津市科技进步奖的项目，仍可参加本次“五小”创新成果征集活动。", "options": ["正确", "错误"],
     "answer": [1], "explanation": "已获国家或天津市科技进步奖的项目不再参加此次征集活动。"},
    {"type": "multiple", "question": "成果简介应当包含哪些要点？", "options": ["适用领域或工种", "解决的实际问题", "成果的创新点", "完成人的联系电话"],
     "answer": [0, 1, 2], "explanation": "成果简介包含适用领域/工种、解决的实际问题、创新点、经济效益与社会效益等。"},
    {"type": "single", "question": "成果音频应当讲解什么内容？", "options": ["成果从生产到应用的说明、讲解", "背景音乐", "完成人的个人经历", "单位的发展历史"],
     "answer": [0], "explanation": "成果音频为MP3格式，是对成果从生产到应用的说明、讲解。"},
    {"type": "judge", "question": "涉及国家秘密或存在知识产权争议的项目，不参加此次征集活动。", "options": ["正确", "错误"],
     "answer": [0], "explanation": "方案明确此类项目不参加征集。"},
    {"type": "single", "question": "职工自主申报“五小”成果，需要填写哪两份材料并由所在单位工会盖章认可？",
     "options": ["创新成果授权书、成果真实性承诺书", "专利证书、审计报告", "营业执照、纳税证明", "获奖证书、推荐信"],
     "answer": [0], "explanation": "需填写创新成果授权书和成果真实性承诺书。"},
    {"type": "multiple", "question": "推荐表“专利情况”一栏可以填写哪些类型？", "options": ["发明专利", "实用新型专利", "软著", "商标注册"],
     "answer": [0, 1, 2], "explanation": "专利情况包括发明专利、实用新型专利、软著，或无。"},
    {"type": "judge", "question": "创新成果授权书授予的是专有的信息网络传播权。", "options": ["正确", "错误"],
     "answer": [1], "explanation": "授权性质是非专有的信息网络传播权，不含转授权。"},
    {"type": "single", "question": "创新成果名称的字数要求大约是多少？", "options": ["10字左右", "20字左右", "50字左右", "不限字数"],
     "answer": [1], "explanation": "成果名称为纯文字，20字左右。"},
]

# ---------------------------------------------------------------------------------------------
# Drawing helpers
# ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=None)
def font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT_PATH, size, index=0)


@lru_cache(maxsize=None)
def _notdef_hash() -> str:
    return hashlib.md5(bytes(font(40).getmask("\U0010fffd"))).hexdigest()


def check_glyphs(text: str) -> None:
    for ch in set(text):
        if ch.isspace():
            continue
        if hashlib.md5(bytes(font(40).getmask(ch))).hexdigest() == _notdef_hash():
            raise AssertionError(f"font has no glyph for {ch!r} (U+{ord(ch):04X}) in {text!r}")


NO_LINE_START = set("，。、；：！？）》”’%．.,;:!?)")


TOKEN = re.compile(r"[A-Za-z0-9.%≥≤×/-]+|.", re.S)


def wrap(text: str, fnt: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Greedy wrap for Chinese text: ASCII runs such as 98.6% stay whole, and closing
    punctuation never starts a line (the previous token moves down with it)."""
    lines: list[str] = []
    for para in text.split("\n"):
        toks: list[str] = []
        for tok in TOKEN.findall(para):
            if fnt.getlength("".join(toks) + tok) <= width or not toks:
                toks.append(tok)
            elif tok in NO_LINE_START and len(toks) > 1:
                lines.append("".join(toks[:-1]))
                toks = [toks[-1], tok]
            else:
                lines.append("".join(toks))
                toks = [tok]
        lines.append("".join(toks))
    return lines


def text(d: ImageDraw.ImageDraw, xy, s: str, size: int, fill, anchor="la", **kw) -> None:
    check_glyphs(s)
    d.text(xy, s, font=font(size), fill=fill, anchor=anchor, **kw)


def pill(d: ImageDraw.ImageDraw, center, s: str, size: int, fill) -> None:
    """A label on a white rounded background, centred on `center`."""
    w = font(size).getlength(s)
    x, y = center
    d.rounded_rectangle([x - w / 2 - 18, y - size * 0.75, x + w / 2 + 18, y + size * 0.75], radius=size * 0.75,
                        fill=WHITE, outline=fill, width=3)
    text(d, (x, y), s, size, fill, anchor="mm")


def mix(c1, c2, t: float):
    return tuple(int(round(a + (b - a) * t)) for a, b in zip(c1, c2))


def gradient(size, top, bottom) -> Image.Image:
    w, h = size
    col = Image.new("RGB", (1, h))
    for y in range(h):
        col.putpixel((0, y), mix(top, bottom, y / max(1, h - 1)))
    return col.resize((w, h))


def dashed_line(d, p0, p1, fill, width=4, dash=18, gap=12):
    (x0, y0), (x1, y1) = p0, p1
    length = math.hypot(x1 - x0, y1 - y0)
    if length == 0:
        return
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    pos = 0.0
    while pos < length:
        end = min(pos + dash, length)
        d.line([(x0 + ux * pos, y0 + uy * pos), (x0 + ux * end, y0 + uy * end)], fill=fill, width=width)
        pos = end + gap


def arrow(d, p0, p1, fill, width=8, head=26):
    d.line([p0, p1], fill=fill, width=width)
    ang = math.atan2(p1[1] - p0[1], p1[0] - p0[0])
    for s in (-1, 1):
        a = ang + math.pi + s * 0.45
        d.line([p1, (p1[0] + head * math.cos(a), p1[1] + head * math.sin(a))], fill=fill, width=width)


def tick(d, x, y, s, fill, width=7):
    d.line([(x, y + s * 0.5), (x + s * 0.38, y + s * 0.88), (x + s, y + s * 0.1)], fill=fill, width=width, joint="curve")


# --- motifs: each draws into the box (0,0)-(W,H) of an RGB canvas -----------------------------

INK = (40, 44, 52)
WHITE = (255, 255, 255)


def m_drone(d, W, H, pal, ach):
    _, light, dark, accent = pal
    # farmland seen obliquely
    ground_top = int(H * 0.62)
    d.polygon([(0, H), (W, H), (W * 0.86, ground_top), (W * 0.14, ground_top)], fill=(150, 190, 110))
    for i in range(1, 7):
        t = i / 7
        xb = W * t
        xt = W * 0.14 + (W * 0.72) * t
        d.line([(xb, H), (xt, ground_top)], fill=(120, 165, 90), width=4)
    for j, t in enumerate((0.25, 0.55)):
        y = ground_top + (H - ground_top) * t
        d.line([(W * 0.14 * (1 - t), y), (W - W * 0.14 * (1 - t), y)], fill=(120, 165, 90), width=4)
    # flight lines
    for k in range(4):
        y = 70 + k * 48
        dashed_line(d, (80, y), (W - 80, y), fill=mix(dark, light, 0.55), width=3)
    # target on the ground
    tx, ty = int(W * 0.66), int(H * 0.80)
    draw_target(d, tx, ty, 54)
    # drone
    cx, cy = int(W * 0.45), int(H * 0.30)
    d.line([(cx - 260, cy), (cx + 260, cy)], fill=INK, width=14)
    for sx in (-260, 260):
        d.rectangle([cx + sx - 8, cy - 34, cx + sx + 8, cy], fill=INK)
        d.ellipse([cx + sx - 120, cy - 50, cx + sx + 120, cy - 26], fill=mix(dark, WHITE, 0.6), outline=INK, width=3)
    d.rounded_rectangle([cx - 110, cy - 40, cx + 110, cy + 40], radius=26, fill=dark)
    d.rounded_rectangle([cx - 60, cy + 40, cx + 60, cy + 110], radius=12, fill=accent)
    text(d, (cx, cy + 76), "投放仓", 30, INK, anchor="mm")
    for sx in (-80, 80):
        d.line([(cx + sx, cy + 40), (cx + sx * 1.5, cy + 130)], fill=INK, width=8)
    dashed_line(d, (cx + 20, cy + 118), (tx, ty - 40), fill=accent, width=6)
    text(d, (tx + 80, ty - 20), "像控点", 40, INK)


def draw_target(d, x, y, r):
    d.polygon([(x - r, y), (x, y - r * 0.55), (x + r, y), (x, y + r * 0.55)], fill=WHITE, outline=INK, width=3)
    d.polygon([(x - r, y), (x, y - r * 0.55), (x, y)], fill=INK)
    d.polygon([(x + r, y), (x, y + r * 0.55), (x, y)], fill=INK)


def m_target(d, W, H, pal, ach):
    _, light, dark, accent = pal
    d.rectangle([0, 0, W, H], fill=(168, 200, 120))
    rng = random.Random(ach["id"] + "grass")
    for _ in range(260):
        x, y = rng.randrange(W), rng.randrange(H)
        d.line([(x, y), (x + rng.randint(-8, 8), y - rng.randint(10, 26))], fill=(132, 170, 92), width=3)
    # field edge / road
    d.polygon([(0, H * 0.78), (W, H * 0.58), (W, H * 0.70), (0, H * 0.92)], fill=(196, 178, 140))
    # big quartered board, unfolded
    cx, cy, s = W * 0.45, H * 0.42, 230
    pts = [(cx - s, cy), (cx, cy - s * 0.62), (cx + s, cy), (cx, cy + s * 0.62)]
    d.polygon(pts, fill=WHITE, outline=INK, width=5)
    d.polygon([pts[0], pts[1], (cx, cy)], fill=INK)
    d.polygon([pts[2], pts[3], (cx, cy)], fill=INK)
    # hinge lines (folding)
    d.line([((pts[0][0] + pts[1][0]) / 2, (pts[0][1] + pts[1][1]) / 2), ((pts[2][0] + pts[3][0]) / 2, (pts[2][1] + pts[3][1]) / 2)],
           fill=accent, width=5)
    # code ring
    for k in range(8):
        a = k / 8 * 2 * math.pi
        px, py = cx + math.cos(a) * 120, cy + math.sin(a) * 74
        if k % 3 != 1:
            d.ellipse([px - 14, py - 9, px + 14, py + 9], fill=accent)
    # folded spare boards + backpack
    bx, by = W * 0.78, H * 0.28
    for i in range(3):
        d.rounded_rectangle([bx + i * 26, by + i * 18, bx + 170 + i * 26, by + 60 + i * 18], radius=8, fill=mix(dark, WHITE, 0.3 + i * 0.1), outline=INK, width=3)
    text(d, (bx + 90, by + 150), "折叠后装入背包", 34, INK, anchor="mm")
    text(d, (cx, cy + s * 0.62 + 50), "编码标志板  展开边长1米", 40, INK, anchor="mm")


def m_chart(d, W, H, pal, ach):
    _, light, dark, accent = pal
    d.rounded_rectangle([30, 10, W - 30, H - 10], radius=30, fill=WHITE, outline=mix(dark, WHITE, 0.5), width=4)
    x0, y0, x1, y1 = 130, 70, W * 0.56, H - 90
    d.line([(x0, y0), (x0, y1), (x1, y1)], fill=INK, width=5)
    labels = ach.get("_chart_labels", ["一", "二", "三"])
    vals = [0.42, 0.68, 0.93]
    bw = (x1 - x0) / (len(vals) * 1.7)
    pts = []
    for i, (v, lab) in enumerate(zip(vals, labels)):
        bx = x0 + 40 + i * bw * 1.7
        top = y1 - (y1 - y0 - 30) * v
        d.rectangle([bx, top, bx + bw, y1 - 3], fill=mix(dark, light, 0.25 * (2 - i)))
        text(d, (bx + bw / 2, y1 + 40), lab, 34, INK, anchor="mm")
        pts.append((bx + bw / 2, top - 26))
    d.line(pts, fill=accent, width=8, joint="curve")
    arrow(d, pts[-2], (pts[-1][0] + 40, pts[-1][1] - 30), fill=accent, width=8)
    # highlight cards
    hx = W * 0.62
    for i, (k, v) in enumerate(ach["_highlights"]):
        y = 50 + i * (H - 80) / 3
        d.rounded_rectangle([hx, y, W - 70, y + (H - 80) / 3 - 24], radius=18, fill=mix(dark, WHITE, 0.88))
        text(d, (hx + 28, y + 22), k, 32, mix(dark, INK, 0.3))
        text(d, (hx + 28, y + 66), v, 52, dark)


def m_parcel(d, W, H, pal, ach):
    _, light, dark, accent = pal
    d.rectangle([0, 0, W, H], fill=(250, 248, 240))
    for x in range(0, W, 60):
        d.line([(x, 0), (x, H)], fill=(232, 228, 214), width=1)
    for y in range(0, H, 60):
        d.line([(0, y), (W, y)], fill=(232, 228, 214), width=1)
    parcel = [(220, 140), (900, 110), (960, 560), (260, 620)]
    d.polygon(parcel, fill=(244, 230, 200), outline=dark, width=6)
    d.polygon([(340, 220), (760, 200), (790, 470), (360, 490)], fill=mix(dark, WHITE, 0.55), outline=INK, width=4)
    d.line([(560, 210), (575, 480)], fill=INK, width=3)
    text(d, (450, 340), "一层", 36, INK, anchor="mm")
    text(d, (680, 335), "二层", 36, INK, anchor="mm")
    offsets = [(-22, -18, "rb"), (22, -18, "lb"), (22, 18, "lt"), (-22, 18, "rt")]
    for i, ((x, y), (ox, oy, anc)) in enumerate(zip(parcel, offsets)):
        d.ellipse([x - 14, y - 14, x + 14, y + 14], fill=accent, outline=INK, width=3)
        text(d, (x + ox, y + oy), f"J{i + 1}", 30, INK, anchor=anc)
    # dimension line parallel to J1-J2
    d.line([(232, 92), (888, 62)], fill=accent, width=3)
    for x, y in ((232, 92), (888, 62)):
        d.line([(x, y - 14), (x, y + 14)], fill=accent, width=3)
    text(d, (560, 64), "28.64", 34, accent, anchor="mb")
    text(d, (980, 330), "12.36", 34, accent, anchor="lm")
    # north arrow
    nx, ny = W - 170, 150
    d.polygon([(nx, ny - 80), (nx - 30, ny + 20), (nx, ny), (nx + 30, ny + 20)], fill=INK)
    text(d, (nx, ny - 90), "北", 40, INK, anchor="mb")
    # area table
    tx, ty = W - 360, 330
    d.rectangle([tx, ty, W - 60, ty + 250], fill=WHITE, outline=INK, width=3)
    rows = [("宗地面积", "312.5㎡"), ("建筑面积", "246.8㎡"), ("闭合差", "合格")]
    for i, (k, v) in enumerate(rows):
        y = ty + 20 + i * 76
        text(d, (tx + 20, y + 10), k, 30, INK)
        text(d, (W - 80, y + 10), v, 30, dark, anchor="ra")
        if i:
            d.line([(tx, y - 8), (W - 60, y - 8)], fill=(200, 200, 200), width=2)


def m_tablet(d, W, H, pal, ach):
    _, light, dark, accent = pal
    tx0, ty0, tx1, ty1 = W * 0.16, 20, W * 0.84, H - 20
    d.rounded_rectangle([tx0 + 12, ty0 + 14, tx1 + 12, ty1 + 14], radius=44, fill=mix(dark, light, 0.7))
    d.rounded_rectangle([tx0, ty0, tx1, ty1], radius=44, fill=(34, 36, 42))
    sx0, sy0, sx1, sy1 = tx0 + 40, ty0 + 40, tx1 - 40, ty1 - 40
    d.rectangle([sx0, sy0, sx1, sy1], fill=(246, 248, 250))
    # mini map on the left half of the screen
    mx1 = sx0 + (sx1 - sx0) * 0.48
    d.rectangle([sx0, sy0, mx1, sy1], fill=(210, 230, 200))
    rng = random.Random(ach["id"] + "map")
    for _ in range(7):
        x, y = rng.uniform(sx0 + 20, mx1 - 120), rng.uniform(sy0 + 20, sy1 - 110)
        w, h = rng.uniform(60, 120), rng.uniform(50, 100)
        d.polygon([(x, y), (x + w, y + rng.uniform(-10, 10)), (x + w + rng.uniform(-10, 10), y + h), (x, y + h)],
                  fill=mix(light, dark, rng.uniform(0.05, 0.3)), outline=WHITE, width=2)
    px, py = (sx0 + mx1) / 2, (sy0 + sy1) / 2
    d.ellipse([px - 16, py - 16, px + 16, py + 16], fill=accent, outline=WHITE, width=4)
    # form rows
    rows = ach.get("_tablet_rows") or ["调查项目", "坐标", "照片", "提交"]
    rx = mx1 + 28
    rh = (sy1 - sy0 - 40) / len(rows)
    for i, r in enumerate(rows):
        y = sy0 + 20 + i * rh
        last = i == len(rows) - 1
        d.rounded_rectangle([rx, y, sx1 - 24, y + rh - 18], radius=12,
                            fill=accent if last else WHITE, outline=mix(dark, WHITE, 0.5), width=3)
        fs = 30 if font(30).getlength(r) < (sx1 - 24 - rx - 30) else 24
        text(d, (rx + 18, y + (rh - 18) / 2), r, fs, WHITE if last else INK, anchor="lm")


def m_change(d, W, H, pal, ach):
    _, light, dark, accent = pal
    pw = W * 0.42
    for k, (x0, lab) in enumerate(((30, "前时相"), (W - 30 - pw, "后时相"))):
        d.rectangle([x0, 70, x0 + pw, H - 20], fill=(120, 160, 90), outline=INK, width=4)
        rng = random.Random("fields")
        for i in range(4):
            for j in range(3):
                fx, fy = x0 + 20 + i * (pw - 40) / 4, 90 + j * (H - 130) / 3
                col = mix((150, 196, 100), (96, 140, 70), rng.random())
                if k == 1 and (i, j) == (2, 1):
                    col = (190, 180, 170)
                    d.rectangle([fx + 4, fy + 4, fx + (pw - 40) / 4 - 4, fy + (H - 130) / 3 - 4], fill=col)
                    for b in range(3):
                        bx = fx + 18 + b * 42
                        d.rectangle([bx, fy + 40, bx + 30, fy + 80], fill=(120, 120, 128))
                    d.rectangle([fx - 4, fy - 4, fx + (pw - 40) / 4 + 4, fy + (H - 130) / 3 + 4], outline=accent, width=8)
                else:
                    d.rectangle([fx + 4, fy + 4, fx + (pw - 40) / 4 - 4, fy + (H - 130) / 3 - 4], fill=col)
        # a river
        d.line([(x0 + 10, H - 120), (x0 + pw * 0.5, H - 160), (x0 + pw - 10, H - 100)], fill=(90, 150, 210), width=22, joint="curve")
        text(d, (x0 + pw / 2, 36), lab, 40, INK, anchor="mm")
    arrow(d, (W * 0.45, H * 0.5), (W * 0.55, H * 0.5), fill=accent, width=12, head=34)
    text(d, (W * 0.5, H * 0.5 + 60), "自动比对", 34, INK, anchor="mm")


def m_wetland(d, W, H, pal, ach):
    _, light, dark, accent = pal
    d.rectangle([0, 0, W, H * 0.45], fill=(214, 236, 246))
    d.ellipse([W * 0.36, 40, W * 0.36 + 110, 150], fill=(255, 214, 120))
    d.polygon([(0, H * 0.45), (W, H * 0.40), (W, H), (0, H)], fill=(140, 186, 110))
    d.polygon([(W * 0.18, H * 0.62), (W * 0.55, H * 0.52), (W * 0.92, H * 0.66), (W * 0.70, H * 0.92), (W * 0.25, H * 0.90)], fill=(100, 160, 214))
    for k in range(5):
        y = H * 0.66 + k * 40
        for x in range(int(W * 0.3), int(W * 0.8), 90):
            d.arc([x, y, x + 60, y + 24], 200, 340, fill=WHITE, width=3)
    rng = random.Random(ach["id"] + "reeds")
    for _ in range(40):
        x = rng.uniform(W * 0.05, W * 0.3)
        y = rng.uniform(H * 0.55, H * 0.95)
        d.line([(x, y), (x + rng.uniform(-6, 6), y - 70)], fill=(80, 120, 60), width=3)
        d.ellipse([x - 6, y - 92, x + 6, y - 62], fill=(160, 120, 70))
    for i in range(6):
        x = W * 0.62 + i * 80
        y = H * 0.42 + (i % 2) * 20
        d.polygon([(x, y - 120), (x - 50, y + 10), (x + 50, y + 10)], fill=(52, 120, 70))
        d.rectangle([x - 8, y + 10, x + 8, y + 40], fill=(110, 80, 50))
    # change polygons
    poly = [(W * 0.48, H * 0.56), (W * 0.66, H * 0.54), (W * 0.70, H * 0.70), (W * 0.50, H * 0.74)]
    for a, b in zip(poly, poly[1:] + poly[:1]):
        dashed_line(d, a, b, fill=accent, width=7)
    pill(d, (W * 0.60, H * 0.80), "湿地萎缩", 36, accent)
    poly2 = [(W * 0.60, H * 0.22), (W * 0.96, H * 0.20), (W * 0.96, H * 0.50), (W * 0.60, H * 0.52)]
    for a, b in zip(poly2, poly2[1:] + poly2[:1]):
        dashed_line(d, a, b, fill=(240, 140, 20), width=7)
    pill(d, (W * 0.78, H * 0.13), "林草减少", 36, (200, 100, 0))


def m_pipe(d, W, H, pal, ach):
    _, light, dark, accent = pal
    surf = H * 0.50
    d.rectangle([0, surf, W, H], fill=(176, 140, 100))
    d.rectangle([0, surf, W, surf + 36], fill=(90, 92, 98))
    for x in range(40, W, 160):
        d.rectangle([x, surf + 15, x + 80, surf + 21], fill=WHITE)
    for k, y in enumerate((surf + 110, surf + 230)):
        d.line([(0, y), (W, y)], fill=(160, 124, 86), width=3)
    pipes = [(W * 0.30, H * 0.76, 48, (60, 130, 210), "给水"), (W * 0.55, H * 0.84, 36, (240, 196, 40), "燃气"),
             (W * 0.78, H * 0.72, 30, (220, 70, 60), "电力")]
    for x, y, r, c, lab in pipes:
        d.ellipse([x - r, y - r, x + r, y + r], fill=c, outline=INK, width=4)
        d.ellipse([x - r * 0.55, y - r * 0.55, x + r * 0.55, y + r * 0.55], fill=mix(c, WHITE, 0.5))
        text(d, (x, y + r + 34), lab, 32, INK, anchor="mm")
    # bracket + detector above the water pipe
    bx = W * 0.30
    foot = surf
    for dx in (-120, 0, 120):
        d.line([(bx, foot - 170), (bx + dx, foot)], fill=(170, 174, 182), width=12)
    d.rounded_rectangle([bx - 40, foot - 320, bx + 40, foot - 150], radius=10, fill=accent, outline=INK, width=4)
    d.ellipse([bx - 22, foot - 296, bx + 22, foot - 252], fill=(120, 220, 140), outline=INK, width=3)
    d.rectangle([bx - 54, foot - 190, bx + 54, foot - 164], fill=(90, 96, 110))
    text(d, (bx + 70, foot - 290), "水平气泡", 32, INK)
    text(d, (bx + 70, foot - 200), "快拆卡扣", 32, INK)
    for k in range(1, 4):
        r = 60 * k
        d.arc([bx - r, foot + 40 - r * 0.4, bx + r, foot + 40 + r * 0.9], 40, 140, fill=dark, width=5)
    dashed_line(d, (bx, foot + 40), (bx, H * 0.76 - 50), fill=dark, width=4)
    text(d, (bx - 70, (foot + H * 0.76) / 2), "埋深", 34, dark, anchor="rm")


def m_tripod(d, W, H, pal, ach):
    _, light, dark, accent = pal
    d.rectangle([0, H * 0.82, W, H], fill=(150, 150, 156))
    cx, base = W * 0.42, H * 0.82
    for dx in (-170, -20, 150):
        d.line([(cx, base - 260), (cx + dx, base)], fill=(176, 180, 188), width=14)
    d.line([(cx, base - 260), (cx, base - 470)], fill=(200, 60, 60), width=14)
    for y in range(int(base - 470), int(base - 260), 40):
        d.line([(cx - 7, y), (cx + 7, y)], fill=WHITE, width=8)
    d.pieslice([cx - 110, base - 560, cx + 110, base - 420], 180, 360, fill=(250, 250, 250), outline=INK, width=4)
    d.rectangle([cx - 110, base - 492, cx + 110, base - 470], fill=(70, 74, 84))
    text(d, (cx + 140, base - 520), "卫星定位接收机", 34, INK)
    # detector clipped to the bracket
    d.rounded_rectangle([cx - 30, base - 250, cx + 30, base - 110], radius=8, fill=accent, outline=INK, width=3)
    text(d, (cx + 60, base - 200), "管线探测仪", 34, INK)
    draw_satellites(d, W, H, dark, accent, (cx, base - 560))


def draw_satellites(d, W, H, dark, accent, target):
    for sx, sy in ((W * 0.12, 70), (W * 0.72, 50), (W * 0.90, 230)):
        d.rectangle([sx - 20, sy - 20, sx + 20, sy + 20], fill=dark)
        d.rectangle([sx - 80, sy - 10, sx - 26, sy + 10], fill=(90, 140, 220), outline=INK, width=2)
        d.rectangle([sx + 26, sy - 10, sx + 80, sy + 10], fill=(90, 140, 220), outline=INK, width=2)
        dashed_line(d, (sx, sy + 24), target, fill=accent, width=3, dash=12, gap=12)


def m_station(d, W, H, pal, ach):
    _, light, dark, accent = pal
    d.rectangle([0, H * 0.8, W, H], fill=(176, 186, 170))
    # building roof with observation pillar
    d.rectangle([W * 0.18, H * 0.52, W * 0.62, H * 0.8], fill=(226, 222, 214), outline=INK, width=4)
    for i in range(3):
        x = W * 0.22 + i * 150
        d.rectangle([x, H * 0.60, x + 90, H * 0.72], fill=(150, 190, 220), outline=INK, width=3)
    px = W * 0.40
    d.rectangle([px - 40, H * 0.30, px + 40, H * 0.52], fill=(200, 200, 204), outline=INK, width=4)
    d.pieslice([px - 120, H * 0.22, px + 120, H * 0.36], 180, 360, fill=WHITE, outline=INK, width=4)
    d.rectangle([px - 120, H * 0.29, px + 120, H * 0.31], fill=INK)
    # equipment cabinet
    d.rectangle([W * 0.70, H * 0.46, W * 0.86, H * 0.8], fill=(110, 120, 136), outline=INK, width=4)
    for i in range(4):
        y = H * 0.50 + i * 50
        d.rectangle([W * 0.72, y, W * 0.84, y + 30], fill=(70, 78, 90))
        d.ellipse([W * 0.83 - 16, y + 8, W * 0.83, y + 22], fill=(90, 220, 120) if i != 2 else accent)
    text(d, (W * 0.78, H * 0.42), "供电与通信", 32, INK, anchor="mb")
    draw_satellites(d, W, H, dark, accent, (px, H * 0.22))


def m_checklist(d, W, H, pal, ach):
    _, light, dark, accent = pal
    x0, y0, x1, y1 = W * 0.26, 20, W * 0.74, H - 10
    d.rounded_rectangle([x0, y0 + 30, x1, y1], radius=24, fill=(196, 150, 100))
    d.rectangle([x0 + 30, y0 + 70, x1 - 30, y1 - 30], fill=WHITE)
    d.rounded_rectangle([(x0 + x1) / 2 - 90, y0, (x0 + x1) / 2 + 90, y0 + 70], radius=14, fill=(150, 156, 166), outline=INK, width=3)
    items = ach.get("_checklist", ["项目一", "项目二", "项目三", "项目四"])
    rh = (y1 - y0 - 140) / len(items)
    for i, it in enumerate(items):
        y = y0 + 100 + i * rh
        d.rectangle([x0 + 60, y, x0 + 60 + 56, y + 56], outline=INK, width=4)
        tick(d, x0 + 66, y - 4, 56, fill=(30, 150, 70), width=9)
        text(d, (x0 + 150, y + 28), f"{it}类  4项", 40, INK, anchor="lm")
        level = ["正常", "正常", "关注", "正常", "正常"][i % 5]
        text(d, (x1 - 60, y + 28), level, 36, accent if level == "关注" else (30, 150, 70), anchor="rm")


def m_weld(d, W, H, pal, ach):
    _, light, dark, accent = pal
    d.rectangle([0, 0, W, H], fill=(52, 56, 66))
    # plates
    d.polygon([(60, H * 0.62), (W * 0.5, H * 0.45), (W * 0.5, H * 0.55), (60, H * 0.74)], fill=(170, 176, 186))
    d.polygon([(W * 0.5, H * 0.45), (W - 60, H * 0.62), (W - 60, H * 0.74), (W * 0.5, H * 0.55)], fill=(150, 156, 168))
    d.line([(W * 0.18, H * 0.55), (W * 0.5, H * 0.45)], fill=(120, 90, 70), width=10)
    # copper bars
    for off in (-46, 46):
        d.line([(W * 0.08, H * 0.60 + off * 0.5), (W * 0.46, H * 0.48 + off * 0.5)], fill=(214, 130, 70), width=22)
    # torch
    tx, ty = W * 0.5, H * 0.45
    d.polygon([(tx - 10, ty - 30), (tx + 200, ty - 330), (tx + 250, ty - 300), (tx + 20, ty - 10)], fill=(60, 64, 74), outline=(200, 200, 210), width=3)
    d.polygon([(tx + 200, ty - 330), (tx + 300, ty - 420), (tx + 350, ty - 390), (tx + 250, ty - 300)], fill=(30, 30, 36))
    # arc glow + sparks
    for r, c in ((110, (120, 90, 40)), (70, (240, 170, 50)), (34, (255, 240, 190))):
        d.ellipse([tx - r, ty - r * 0.7, tx + r, ty + r * 0.7], fill=c)
    rng = random.Random(ach["id"] + "sparks")
    for _ in range(46):
        a = rng.uniform(math.pi * 0.95, math.pi * 2.05)
        l0, l1 = rng.uniform(60, 110), rng.uniform(130, 280)
        d.line([(tx + math.cos(a) * l0, ty + math.sin(a) * l0 * 0.7), (tx + math.cos(a) * l1, ty + math.sin(a) * l1 * 0.7)],
               fill=(255, rng.randint(170, 230), 80), width=3)
    # follower roller ahead of the torch
    rx, ry = W * 0.32, H * 0.40
    d.ellipse([rx - 56, ry - 56, rx + 56, ry + 56], fill=(120, 126, 140), outline=WHITE, width=4)
    d.ellipse([rx - 12, ry - 12, rx + 12, ry + 12], fill=WHITE)
    d.line([(rx, ry), (tx + 60, ty - 120)], fill=(200, 200, 210), width=10)
    text(d, (rx - 70, ry - 90), "随动压轮", 38, WHITE)
    text(d, (W * 0.12, H * 0.86), "水冷铜压条", 38, (240, 170, 110))


def m_clamp(d, W, H, pal, ach):
    _, light, dark, accent = pal
    d.rectangle([0, 0, W, H], fill=(248, 246, 242))
    cy = H * 0.56
    d.rectangle([80, cy + 26, W - 80, cy + 70], fill=(200, 200, 206), outline=INK, width=3)  # fixture base
    d.rectangle([80, cy, W - 80, cy + 26], fill=(150, 156, 168), outline=INK, width=3)
    text(d, (W - 90, cy - 16), "薄板 1至3毫米", 32, INK, anchor="rb")
    d.polygon([(W / 2 - 18, cy), (W / 2 + 18, cy), (W / 2, cy + 26)], fill=(200, 90, 40))
    for side in (-1, 1):
        x0 = W / 2 + side * 60
        x1 = W / 2 + side * 300
        d.rectangle([min(x0, x1), cy - 90, max(x0, x1), cy], fill=(214, 130, 70), outline=INK, width=4)
        for k in range(2):
            wx = (x0 + x1) / 2 + (k - 0.5) * 110
            d.ellipse([wx - 24, cy - 69, wx + 24, cy - 21], fill=(90, 160, 230), outline=INK, width=3)
        # clamp arm
        ax = W / 2 + side * 180
        d.rectangle([ax - 26, cy - 320, ax + 26, cy - 90], fill=(90, 96, 110), outline=INK, width=3)
        arrow(d, (ax + side * 80, cy - 300), (ax + side * 80, cy - 120), fill=accent, width=8)
    text(d, (W / 2 - 180, cy - 360), "夹紧", 36, INK, anchor="mb")
    text(d, (W / 2 + 180, cy - 360), "夹紧", 36, INK, anchor="mb")
    text(d, (W / 2, cy - 120), "焊缝", 32, (200, 90, 40), anchor="mb")
    text(d, (W * 0.18, cy + 150), "铜压条", 36, (180, 100, 50), anchor="mm")
    text(d, (W * 0.50, cy + 150), "冷却水道", 36, (40, 110, 200), anchor="mm")
    text(d, (W * 0.82, cy + 150), "定位块", 36, INK, anchor="mm")


def m_tower(d, W, H, pal, ach):
    _, light, dark, accent = pal
    d.rectangle([0, 0, W, H], fill=(206, 226, 246))
    d.rectangle([0, H * 0.86, W, H], fill=(140, 180, 110))
    top = 120
    poles = (W * 0.14, W * 0.86)
    for px in poles:
        d.polygon([(px - 24, H * 0.86), (px + 24, H * 0.86), (px + 13, top), (px - 13, top)], fill=(180, 180, 184), outline=INK, width=3)
        d.rectangle([px - 130, top + 36, px + 130, top + 54], fill=(90, 94, 104))
        for dx in (-110, 0, 110):
            d.rectangle([px + dx - 5, top + 10, px + dx + 5, top + 36], fill=(90, 94, 104))
            for k in range(3):
                d.ellipse([px + dx - 17, top + 2 + k * 11, px + dx + 17, top + 12 + k * 11], fill=(100, 150, 100), outline=(70, 110, 70))
    # three sagging conductors between the insulators
    for dx in (-110, 0, 110):
        x0, x1 = poles[0] + dx, poles[1] + dx
        pts = [(x0 + (x1 - x0) * t / 20, top + 6 + 70 * 4 * (t / 20) * (1 - t / 20)) for t in range(21)]
        d.line(pts, fill=INK, width=3, joint="curve")
    # defect marker on the left pole's right insulator
    mx, my = poles[0] + 110, top + 18
    d.ellipse([mx - 44, my - 44, mx + 44, my + 44], outline=accent, width=8)
    # worker with headset
    wx, wy = W * 0.34, H * 0.62
    d.ellipse([wx - 40, wy - 130, wx + 40, wy - 50], fill=(240, 200, 160))
    d.chord([wx - 48, wy - 150, wx + 48, wy - 70], 180, 360, fill=(250, 200, 20))
    d.rounded_rectangle([wx - 60, wy - 46, wx + 60, wy + 130], radius=20, fill=(40, 90, 170))
    d.line([(wx + 40, wy - 90), (wx + 70, wy - 60)], fill=INK, width=6)
    d.ellipse([wx + 62, wy - 68, wx + 78, wy - 52], fill=INK)
    # speech bubble, below the conductors and clear of the right pole
    bx0, by0, bx1, by1 = wx + 110, H * 0.36, W * 0.86 - 150, H * 0.36 + 130
    d.rounded_rectangle([bx0, by0, bx1, by1], radius=30, fill=WHITE, outline=dark, width=4)
    d.polygon([(bx0 + 30, by1 - 4), (wx + 80, wy - 70), (bx0 + 100, by1 - 4)], fill=WHITE, outline=dark)
    d.line([(bx0 + 33, by1 - 2), (bx0 + 97, by1 - 2)], fill=WHITE, width=6)
    msg = "12号杆 绝缘子 破损 一般"
    fs = 40 if font(40).getlength(msg) < bx1 - bx0 - 40 else 32
    text(d, ((bx0 + bx1) / 2, (by0 + by1) / 2), msg, fs, INK, anchor="mm")


def m_voice(d, W, H, pal, ach):
    _, light, dark, accent = pal
    px0, py0, px1, py1 = W * 0.08, 10, W * 0.36, H - 10
    d.rounded_rectangle([px0, py0, px1, py1], radius=40, fill=(30, 32, 38))
    d.rectangle([px0 + 22, py0 + 60, px1 - 22, py1 - 60], fill=(246, 248, 250))
    mx, my = (px0 + px1) / 2, py0 + 240
    d.rounded_rectangle([mx - 40, my - 110, mx + 40, my + 20], radius=40, fill=accent)
    d.arc([mx - 70, my - 60, mx + 70, my + 60], 0, 180, fill=INK, width=6)
    d.line([(mx, my + 60), (mx, my + 100)], fill=INK, width=6)
    rng = random.Random(ach["id"] + "wave")
    for i in range(18):
        x = px0 + 50 + i * ((px1 - px0 - 100) / 17)
        h = rng.uniform(10, 70)
        d.line([(x, my + 200 - h), (x, my + 200 + h)], fill=dark, width=8)
    arrow(d, (W * 0.40, H * 0.5), (W * 0.50, H * 0.5), fill=accent, width=12, head=34)
    rows = ach.get("_tablet_rows") or ["项目", "内容"]
    tx0, ty0, tx1 = W * 0.54, 40, W - 40
    rh = (H - 100) / len(rows)
    for i, r in enumerate(rows):
        y = ty0 + i * rh
        k, _, v = r.partition("  ")
        d.rectangle([tx0, y, tx0 + 170, y + rh - 12], fill=dark)
        d.rectangle([tx0 + 170, y, tx1, y + rh - 12], fill=WHITE, outline=dark, width=3)
        text(d, (tx0 + 85, y + (rh - 12) / 2), k, 36, WHITE, anchor="mm")
        text(d, (tx0 + 200, y + (rh - 12) / 2), v, 40, INK, anchor="lm")


def draw_qr(d, x, y, size, seed):
    n = 25
    m = size / n
    rng = random.Random(seed)
    d.rectangle([x - m, y - m, x + size + m, y + size + m], fill=WHITE)

    def finder(fx, fy):
        d.rectangle([x + fx * m, y + fy * m, x + (fx + 7) * m, y + (fy + 7) * m], fill=INK)
        d.rectangle([x + (fx + 1) * m, y + (fy + 1) * m, x + (fx + 6) * m, y + (fy + 6) * m], fill=WHITE)
        d.rectangle([x + (fx + 2) * m, y + (fy + 2) * m, x + (fx + 5) * m, y + (fy + 5) * m], fill=INK)

    for i in range(n):
        for j in range(n):
            in_finder = (i < 8 and j < 8) or (i >= n - 8 and j < 8) or (i < 8 and j >= n - 8)
            if not in_finder and rng.random() < 0.48:
                d.rectangle([x + i * m, y + j * m, x + (i + 1) * m, y + (j + 1) * m], fill=INK)
    finder(0, 0)
    finder(n - 7, 0)
    finder(0, n - 7)


def m_qrcode(d, W, H, pal, ach):
    _, light, dark, accent = pal
    d.rectangle([0, H * 0.86, W, H], fill=(120, 126, 136))
    # lathe
    d.rectangle([W * 0.06, H * 0.30, W * 0.70, H * 0.72], fill=(96, 140, 120), outline=INK, width=5)
    d.rectangle([W * 0.10, H * 0.72, W * 0.18, H * 0.86], fill=(70, 100, 90))
    d.rectangle([W * 0.58, H * 0.72, W * 0.66, H * 0.86], fill=(70, 100, 90))
    d.ellipse([W * 0.10, H * 0.36, W * 0.22, H * 0.58], fill=(180, 184, 190), outline=INK, width=4)
    d.rectangle([W * 0.22, H * 0.44, W * 0.52, H * 0.50], fill=(200, 204, 210), outline=INK, width=3)
    d.rectangle([W * 0.30, H * 0.20, W * 0.58, H * 0.30], fill=(240, 200, 60), outline=INK, width=4)
    text(d, (W * 0.44, H * 0.25), "注意安全", 34, INK, anchor="mm")
    # qr sticker on the machine
    draw_qr(d, W * 0.50, H * 0.38, 150, ach["id"] + "qr")
    # phone scanning
    fx0, fy0 = W * 0.76, H * 0.12
    d.rounded_rectangle([fx0, fy0, fx0 + 240, fy0 + 460], radius=30, fill=(30, 32, 38))
    d.rectangle([fx0 + 16, fy0 + 50, fx0 + 224, fy0 + 410], fill=(240, 246, 240))
    text(d, (fx0 + 120, fy0 + 110), "扫码点检", 32, INK, anchor="mm")
    for k in range(3):
        y = fy0 + 170 + k * 70
        d.rectangle([fx0 + 36, y, fx0 + 72, y + 36], outline=INK, width=3)
        tick(d, fx0 + 38, y - 2, 36, fill=(30, 150, 70), width=6)
        d.line([(fx0 + 90, y + 18), (fx0 + 200, y + 18)], fill=(150, 150, 150), width=8)
    d.polygon([(fx0, fy0 + 230), (W * 0.50 + 150, H * 0.38), (W * 0.50 + 150, H * 0.38 + 150)], fill=mix(accent, WHITE, 0.6))


def m_phone(d, W, H, pal, ach):
    _, light, dark, accent = pal
    fx0, fy0, fx1, fy1 = W * 0.30, 10, W * 0.62, H - 10
    d.rounded_rectangle([fx0, fy0, fx1, fy1], radius=44, fill=(30, 32, 38))
    d.rectangle([fx0 + 24, fy0 + 70, fx1 - 24, fy1 - 60], fill=(246, 248, 246))
    d.rectangle([fx0 + 24, fy0 + 70, fx1 - 24, fy0 + 150], fill=dark)
    text(d, ((fx0 + fx1) / 2, fy0 + 110), "车床 C-07 安全点检", 34, WHITE, anchor="mm")
    rows = ach.get("_tablet_rows") or ["项目一", "项目二"]
    rh = (fy1 - fy0 - 260) / len(rows)
    for i, r in enumerate(rows):
        y = fy0 + 170 + i * rh
        last = i == len(rows) - 1
        k, _, v = r.partition("  ")
        d.rounded_rectangle([fx0 + 44, y, fx1 - 44, y + rh - 20], radius=14, fill=accent if last else WHITE,
                            outline=mix(dark, WHITE, 0.5), width=3)
        text(d, (fx0 + 70, y + (rh - 20) / 2), k, 34, WHITE if last else INK, anchor="lm")
        if v:
            tick(d, fx1 - 110, y + (rh - 20) / 2 - 24, 44, fill=(30, 150, 70), width=7)
    # hard hat
    hx, hy = W * 0.82, H * 0.55
    d.chord([hx - 140, hy - 140, hx + 140, hy + 120], 180, 360, fill=(250, 190, 20), outline=INK, width=4)
    d.rounded_rectangle([hx - 180, hy - 16, hx + 180, hy + 16], radius=12, fill=(230, 170, 10), outline=INK, width=4)
    d.line([(hx, hy - 140), (hx, hy - 20)], fill=(230, 170, 10), width=20)
    text(d, (hx, hy + 80), "安全生产", 40, INK, anchor="mm")
    text(d, (W * 0.13, H * 0.45), "操作要点", 40, INK, anchor="mm")
    text(d, (W * 0.13, H * 0.58), "随扫随看", 40, dark, anchor="mm")


def m_road(d, W, H, pal, ach):
    _, light, dark, accent = pal
    d.rectangle([0, 0, W, H], fill=(200, 220, 236))
    d.polygon([(W * 0.40, H * 0.15), (W * 0.60, H * 0.15), (W, H), (0, H)], fill=(96, 98, 106))
    for k in range(6):
        t0, t1 = k / 6, k / 6 + 0.07
        y0, y1 = H * 0.15 + (H * 0.85) * t0, H * 0.15 + (H * 0.85) * t1
        w0, w1 = 6 + 20 * t0, 6 + 20 * t1
        d.polygon([(W / 2 - w0, y0), (W / 2 + w0, y0), (W / 2 + w1, y1), (W / 2 - w1, y1)], fill=WHITE)
    # traffic cones and barrier
    for cx, cy, s in ((W * 0.18, H * 0.84, 1.0), (W * 0.30, H * 0.62, 0.75), (W * 0.38, H * 0.46, 0.55)):
        d.polygon([(cx, cy - 120 * s), (cx - 48 * s, cy), (cx + 48 * s, cy)], fill=(240, 110, 30))
        d.rectangle([cx - 30 * s, cy - 70 * s, cx + 30 * s, cy - 50 * s], fill=WHITE)
        d.rectangle([cx - 60 * s, cy, cx + 60 * s, cy + 14 * s], fill=(220, 90, 20))
    # worker with bracket
    wx, wy = W * 0.66, H * 0.70
    d.ellipse([wx - 34, wy - 200, wx + 34, wy - 132], fill=(240, 200, 160))
    d.chord([wx - 42, wy - 218, wx + 42, wy - 150], 180, 360, fill=(250, 200, 20))
    d.polygon([(wx - 56, wy - 130), (wx + 56, wy - 130), (wx + 46, wy + 20), (wx - 46, wy + 20)], fill=(250, 130, 30))
    d.rectangle([wx - 56, wy - 80, wx + 56, wy - 64], fill=(230, 230, 90))
    d.line([(wx - 30, wy + 20), (wx - 36, wy + 130)], fill=(40, 50, 80), width=22)
    d.line([(wx + 30, wy + 20), (wx + 36, wy + 130)], fill=(40, 50, 80), width=22)
    bx = wx + 170
    for dx in (-70, 0, 70):
        d.line([(bx, wy - 20), (bx + dx, wy + 130)], fill=(200, 204, 212), width=9)
    d.rounded_rectangle([bx - 22, wy - 150, bx + 22, wy - 20], radius=6, fill=accent, outline=INK, width=3)
    text(d, (W * 0.5, 60), "道路探测  安全围挡", 44, INK, anchor="mm")


MOTIFS = {
    "drone": m_drone, "target": m_target, "chart": m_chart, "parcel": m_parcel, "tablet": m_tablet,
    "change": m_change, "wetland": m_wetland, "pipe": m_pipe, "tripod": m_tripod, "station": m_station,
    "checklist": m_checklist, "weld": m_weld, "clamp": m_clamp, "tower": m_tower, "voice": m_voice,
    "qrcode": m_qrcode, "phone": m_phone, "road": m_road,
}

# ---------------------------------------------------------------------------------------------
# Photos
# ---------------------------------------------------------------------------------------------


def render_photo(ach: dict, idx: int) -> Image.Image:
    W, H = PHOTO_SIZE
    bg_top, bg_bottom, dark, accent = ach["_palette"]
    img = gradient((W, H), bg_top, bg_bottom)
    d = ImageDraw.Draw(img)
    for x in range(0, W, 80):
        for y in range(0, H, 80):
            d.ellipse([x - 2, y - 2, x + 2, y + 2], fill=mix(bg_bottom, dark, 0.15))
    # motif area
    mw, mh = W - 160, 760
    motif = Image.new("RGB", (mw, mh), mix(bg_top, WHITE, 0.5))
    MOTIFS[ach["_motifs"][idx]](ImageDraw.Draw(motif), mw, mh, ach["_palette"], ach)
    shadow = Image.new("RGB", (mw, mh), mix(bg_bottom, dark, 0.35))
    img.paste(shadow, (92, 132))
    img.paste(motif, (80, 120))
    d.rectangle([80, 120, 80 + mw - 1, 120 + mh - 1], outline=dark, width=4)
    # header
    text(d, (80, 62), f"{ach['id']}  ·  成果照片 {idx + 1}", 40, dark, anchor="lm")
    tag = "示意图"
    tw = font(34).getlength(tag)
    d.rounded_rectangle([W - 80 - tw - 40, 36, W - 80, 90], radius=27, fill=accent)
    text(d, (W - 80 - 20, 63), tag, 34, WHITE, anchor="rm")
    # caption band
    d.rectangle([0, 920, W, H], fill=dark)
    d.rectangle([0, 920, W, 930], fill=accent)
    cap = ach["_captions"][idx]
    size = 68
    lines = wrap(cap, font(size), W - 160)
    while len(lines) > 2:
        size -= 4
        lines = wrap(cap, font(size), W - 160)
    y = 1065 - (len(lines) - 1) * size * 0.62
    for ln in lines:
        text(d, (W / 2, y), ln, size, WHITE, anchor="mm")
        y += size * 1.25
    text(d, (W / 2, 1170), ach["title"], 28, mix(dark, WHITE, 0.6), anchor="mm")
    return img


def save_photo(img: Image.Image, path: Path, sideways: bool) -> None:
    exif = Image.Exif()
    exif[0x011A] = 300  # XResolution
    exif[0x011B] = 300  # YResolution
    exif[0x0128] = 2    # ResolutionUnit: inch
    if sideways:
        # Stored rotated 90° counter-clockwise; orientation 6 tells viewers to rotate 90° clockwise.
        img = img.transpose(Image.Transpose.ROTATE_90)
        exif[0x0112] = 6
    img.save(path, "JPEG", quality=PHOTO_QUALITY, optimize=True, dpi=(300, 300), exif=exif.tobytes())


# ---------------------------------------------------------------------------------------------
# Video slides
# ---------------------------------------------------------------------------------------------


def slide_base(ach: dict, heading: str | None, n: int) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    W, H = VIDEO_SIZE
    _, light, dark, accent = ach["_palette"]
    img = gradient((W, H), mix(dark, (0, 0, 0), 0.25), mix(dark, (0, 0, 0), 0.6))
    d = ImageDraw.Draw(img)
    d.rectangle([0, 0, 24, H], fill=accent)
    text(d, (110, 70), PACK_META["title"], 34, mix(light, dark, 0.3), anchor="lm")
    text(d, (W - 110, 70), f"{ach['id']}   {n}/{N_SLIDES}", 34, mix(light, dark, 0.3), anchor="rm")
    if heading:
        text(d, (110, 190), heading, 76, WHITE, anchor="lm")
        d.rectangle([110, 250, 110 + 140, 258], fill=accent)
    return img, d


def render_slides(ach: dict, photo_path: Path) -> list[Image.Image]:
    W, H = VIDEO_SIZE
    _, light, dark, accent = ach["_palette"]
    slides = []
    # 1: title card
    img, d = slide_base(ach, None, 1)
    award = AWARD_CN[ach["award"]]
    d.rounded_rectangle([110, 180, 110 + 220, 260], radius=40, fill=accent)
    text(d, (220, 220), award, 48, INK if sum(accent) > 500 else WHITE, anchor="mm")
    lines = wrap(ach["title"], font(92), 960)
    y = 340
    for ln in lines:
        text(d, (110, y), ln, 92, WHITE)
        y += 120
    text(d, (110, y + 40), f"{ach['category']}  ·  {ach['kind']}  ·  {ach['originality']}", 44, mix(light, WHITE, 0.3))
    text(d, (110, H - 150), ach["unit"], 44, mix(light, WHITE, 0.2))
    ph = ImageOps.exif_transpose(Image.open(photo_path)).convert("RGB")
    ph.thumbnail((720, 540))
    img.paste(Image.new("RGB", (ph.width + 24, ph.height + 24), WHITE), (W - 110 - ph.width - 12, 300 - 12))
    img.paste(ph, (W - 110 - ph.width, 300))
    slides.append(img)
    # 2: background
    img, d = slide_base(ach, "成果背景与要解决的问题", 2)
    y = 330
    for ln in wrap(ach["background"], font(56), W - 220):
        text(d, (110, y), ln, 56, WHITE)
        y += 84
    y += 40
    d.rounded_rectangle([110, y, W - 110, y + 8], radius=4, fill=mix(dark, WHITE, 0.25))
    y += 50
    for ln in wrap("目标：" + ach["goals"], font(46), W - 220):
        text(d, (110, y), ln, 46, mix(light, WHITE, 0.4))
        y += 68
    slides.append(img)
    # 3: innovations
    img, d = slide_base(ach, "创新点", 3)
    y = 320
    for para in ach["innovations"].split("\n"):
        for k, ln in enumerate(wrap(para, font(44), W - 260)):
            if k == 0:
                d.ellipse([110, y + 10, 136, y + 36], fill=accent)
            text(d, (160, y), ln, 44, WHITE)
            y += 62
        y += 22
    slides.append(img)
    # 4: results
    img, d = slide_base(ach, "应用成效", 4)
    cw = (W - 220 - 2 * 50) / 3
    for i, (k, v) in enumerate(ach["_highlights"]):
        x = 110 + i * (cw + 50)
        d.rounded_rectangle([x, 320, x + cw, 600], radius=30, fill=mix(dark, WHITE, 0.12), outline=accent, width=4)
        text(d, (x + cw / 2, 400), k, 48, mix(light, WHITE, 0.3), anchor="mm")
        vs = 84 if font(84).getlength(v) < cw - 40 else 64
        text(d, (x + cw / 2, 510), v, vs, WHITE, anchor="mm")
    y = 680
    for ln in wrap(ach["application"], font(44), W - 220):
        text(d, (110, y), ln, 44, mix(light, WHITE, 0.4))
        y += 64
    slides.append(img)
    return slides


# ---------------------------------------------------------------------------------------------
# Media tools
# ---------------------------------------------------------------------------------------------


def run(cmd: list[str]) -> str:
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        raise RuntimeError(f"command failed ({res.returncode}): {' '.join(cmd)}\n{res.stderr[-3000:]}")
    return res.stdout


def espeak(textual: str, wav: Path) -> None:
    run(["espeak-ng", "-v", "cmn-latn-pinyin", "-s", "170", "-w", str(wav), textual])


def make_mp3(transcript: str, out: Path, tmp: Path) -> None:
    wav = tmp / (out.stem + ".wav")
    espeak(transcript, wav)
    run(["ffmpeg", "-nostdin", "-y", "-v", "error", "-i", str(wav), "-map_metadata", "-1",
         "-c:a", "libmp3lame", "-b:a", "48k", "-ac", "1", "-ar", "22050", str(out)])


def make_video(slides: list[Image.Image], narration: str, out: Path, tmp: Path) -> None:
    pngs = []
    for i, s in enumerate(slides):
        p = tmp / f"{out.stem}-slide{i + 1}.png"
        s.save(p)
        pngs.append(p)
    wav = tmp / f"{out.stem}-narration.wav"
    espeak(narration, wav)
    cmd = ["ffmpeg", "-nostdin", "-y", "-v", "error"]
    for p in pngs:
        cmd += ["-loop", "1", "-framerate", str(FPS), "-t", f"{SLIDE_SECONDS}", "-i", str(p)]
    cmd += ["-i", str(wav)]
    n = len(pngs)
    total = VIDEO_SECONDS
    # Hard cuts between slides: cross-fades cost ~50% more bytes for the blended frames.
    parts = ["".join(f"[{i}:v]" for i in range(n)) + f"concat=n={n}:v=1:a=0[slides]"]
    parts.append(f"color=c=0xF5B823:s={VIDEO_SIZE[0]}x12:r={FPS}:d={total}[bar]")
    parts.append(f"[slides][bar]overlay=x='-w+w*t/{total}':y=H-12:eval=frame,format=yuv420p[v]")
    parts.append(f"[{n}:a]adelay=400:all=1,apad,atrim=0:{total},aresample=44100[a]")
    cmd += ["-filter_complex", ";".join(parts), "-map", "[v]", "-map", "[a]",
            "-c:v", "libx264", "-preset", "veryslow", "-crf", "30", "-tune", "stillimage", "-pix_fmt", "yuv420p",
            "-r", str(FPS), "-g", str(FPS * 10),
            "-c:a", "aac", "-b:a", "48k", "-ac", "1",
            "-t", f"{total}", "-map_metadata", "-1", "-fflags", "+bitexact", "-movflags", "+faststart", str(out)]
    run(cmd)


# ---------------------------------------------------------------------------------------------
# Quiz
# ---------------------------------------------------------------------------------------------


def shuffled(q: dict, rng: random.Random) -> dict:
    q = json.loads(json.dumps(q))
    if q["type"] == "judge":
        return q
    order = list(range(len(q["options"])))
    rng.shuffle(order)
    q["options"] = [q["options"][i] for i in order]
    q["answer"] = sorted(order.index(a) for a in q["answer"])
    return q


def specific_quiz(ach: dict, all_units: list[str], rng: random.Random) -> list[dict]:
    t = f"“{ach['title']}”"
    qs = [
        {"type": "single", "question": f"{t}属于哪一类“五小”成果？", "options": list(CATEGORIES),
         "answer": [CATEGORIES.index(ach["category"])], "explanation": f"该成果申报的成果类别是{ach['category']}。"},
        {"type": "single", "question": f"{t}的申报类型是？", "options": list(KINDS),
         "answer": [KINDS.index(ach["kind"])],
         "explanation": f"该成果的申报类型是{ach['kind']}。" + ("小建议对应工作创意（合理化建议）。" if ach["kind"] == "工作创意" else "")},
        {"type": "single", "question": f"{t}获得了什么奖项？", "options": ["一等奖", "二等奖", "三等奖", "鼓励奖"],
         "answer": [["first", "second", "third", "encouragement"].index(ach["award"])],
         "explanation": f"该成果获得{AWARD_CN[ach['award']]}。"},
        {"type": "judge", "question": f"{t}被申报为新质生产力成果。", "options": ["正确", "错误"],
         "answer": [0 if ach["new_quality_productivity"] else 1],
         "explanation": "申报时填写为新质生产力。" if ach["new_quality_productivity"] else "申报时填写为不属于新质生产力。"},
        {"type": "single", "question": f"{t}的独创性属于哪一种？", "options": ["全部自主独创", "部分自主创新", "综合应用（无自主独创）"],
         "answer": [ORIGINALITY.index(ach["originality"])], "explanation": f"推荐表中该成果的独创性为{ach['originality']}。"},
    ]
    others = [u for u in dict.fromkeys(all_units) if u != ach["unit"]]
    opts = [ach["unit"]] + rng.sample(others, 3)
    qs.append({"type": "single", "question": f"{t}的成果完成单位是？", "options": opts, "answer": [0],
               "explanation": f"成果完成单位是{ach['unit']}。"})
    if ach["patents"]:
        qs.append({"type": "judge", "question": f"{t}已取得{ach['patents'][0]}。", "options": ["正确", "错误"], "answer": [0],
                   "explanation": "专利情况：" + "、".join(ach["patents"]) + "。"})
    else:
        qs.append({"type": "judge", "question": f"{t}已取得发明专利。", "options": ["正确", "错误"], "answer": [1],
                   "explanation": "该成果的专利情况为“无”；小建议类成果通常以合理化建议的形式推广。"})
    qs += ach["_extra_quiz"]
    return qs


def build_quiz(ach: dict, all_units: list[str]) -> list[dict]:
    rng = random.Random(f"{SEED}-{ach['id']}-quiz")
    general = rng.sample(GENERAL_QUIZ, 12)
    qs = specific_quiz(ach, all_units, rng) + general
    return [shuffled(q, rng) for q in qs]


# ---------------------------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------------------------

PUBLIC_KEYS = ["id", "title", "award", "category", "kind", "originality", "patents", "applicant", "unit", "union",
               "industry", "completed", "practice_months", "completers", "first_completer_intro", "summary",
               "background", "goals", "innovations", "benefits", "application", "new_quality_productivity",
               "photos", "videos", "audio", "quiz"]


def build() -> dict:
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    all_units = [a["unit"] for a in ACHIEVEMENTS]
    records = []
    with tempfile.TemporaryDirectory(prefix="demo-pack-") as tmpdir:
        tmp = Path(tmpdir)
        for ach in ACHIEVEMENTS:
            aid = ach["id"]
            folder = OUT / aid
            folder.mkdir()
            print(f"  {aid} {ach['title']}", flush=True)
            photos = []
            for i in range(3):
                img = render_photo(ach, i)
                save_photo(img, folder / f"photo-{i + 1}.jpg", sideways=(ach.get("_sideways") == i))
                photos.append({"file": f"{aid}/photo-{i + 1}.jpg", "caption": ach["_captions"][i]})
            slides = render_slides(ach, folder / "photo-1.jpg")
            award = AWARD_CN[ach["award"]]
            spoken_title = ach.get("_spoken_title", ach["title"])
            make_video(slides, f"{spoken_title}。荣获{award}。", folder / "video.mp4", tmp)
            videos = [{"file": f"{aid}/video.mp4", "title": f"{ach['title']}（成果演示）", "poster": f"{aid}/photo-1.jpg"}]
            make_mp3(ach["_transcript"], folder / "explain.mp3", tmp)
            audio = [{"file": f"{aid}/explain.mp3", "title": f"{ach['title']}：从生产到应用", "transcript": ach["_transcript"]}]
            quiz = build_quiz(ach, all_units)
            if ach["_quiz_inline"]:
                quiz_value: object = quiz
            else:
                (folder / "quiz.json").write_text(json.dumps(quiz, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
                quiz_value = f"{aid}/quiz.json"
            rec = {k: ach[k] for k in PUBLIC_KEYS if k in ach}
            rec.update(photos=photos, videos=videos, audio=audio, quiz=quiz_value)
            records.append({k: rec[k] for k in PUBLIC_KEYS})
    pack = dict(PACK_META, achievements=records)
    (OUT / "pack.json").write_text(json.dumps(pack, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return pack


# ---------------------------------------------------------------------------------------------
# Self-check against pack-v1
# ---------------------------------------------------------------------------------------------


def mp4_top_level_boxes(path: Path) -> list[str]:
    boxes = []
    with path.open("rb") as f:
        f.seek(0, 2)
        end = f.tell()
        pos = 0
        while pos < end:
            f.seek(pos)
            hdr = f.read(8)
            if len(hdr) < 8:
                raise AssertionError(f"{path}: truncated box header at {pos}")
            size, typ = struct.unpack(">I4s", hdr)
            if size == 1:
                size = struct.unpack(">Q", f.read(8))[0]
            elif size == 0:
                size = end - pos
            if size < 8:
                raise AssertionError(f"{path}: bad box size {size} at {pos}")
            boxes.append(typ.decode("latin-1"))
            pos += size
        if pos != end:
            raise AssertionError(f"{path}: boxes overrun the file")
    return boxes


def ffprobe(path: Path) -> dict:
    return json.loads(run(["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams", str(path)]))


ID_LIKE = re.compile(r"\d{17}[\dXx]")
PHONE_LIKE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)|\d{3,4}-\d{7,8}")


def check(pack: dict) -> list[str]:
    notes: list[str] = []
    problems: list[str] = []

    def need(cond: bool, msg: str) -> None:
        if not cond:
            problems.append(msg)

    need(pack["format"] == "wuxiao-pack/1", "format")
    need(re.fullmatch(r"[a-z0-9_-]{1,64}", pack["pack_id"]) is not None, "pack_id")
    need(isinstance(pack["version"], int) and pack["version"] >= 1, "version")
    need(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00", pack["published_at"]) is not None, "published_at")
    achs = pack["achievements"]
    need(8 <= len(achs) <= 9, "8 or 9 achievements")
    ids = [a["id"] for a in achs]
    need(len(set(ids)) == len(ids), "duplicate ids")
    awards = [a["award"] for a in achs]
    need(awards.count("first") == 1 and awards.count("second") == 2 and awards.count("third") == 3
         and awards.count("encouragement") >= 2, f"award counts {awards}")
    need(any("无人机" in a["title"] for a in achs), "a title with 无人机")
    need(sum(("创新" in a["title"] or "创新" in a["summary"]) for a in achs) >= 2, "two achievements mention 创新")
    need({a["category"] for a in achs} == set(CATEGORIES), "all five categories used")
    need({a["kind"] for a in achs} == set(KINDS), "all three kinds used")
    need(len({a["new_quality_productivity"] for a in achs}) == 2, "new_quality_productivity mix")
    forms = {isinstance(a["quiz"], str) for a in achs}
    need(forms == {True, False}, "both quiz forms")
    sideways = 0
    small_photos: list[int] = []

    def file_ok(aid: str, rel: str) -> Path:
        need(not rel.startswith("/") and ".." not in rel.split("/") and "\\" not in rel, f"{aid}: bad path {rel}")
        p = OUT / rel
        need(p.is_file() and not p.is_symlink(), f"{aid}: missing {rel}")
        return p

    limits = {"title": 20, "first_completer_intro": 100, "summary": 500, "background": 100, "goals": 100,
              "innovations": 500, "application": 500}
    for a in achs:
        aid = a["id"]
        need(list(a.keys()) == PUBLIC_KEYS, f"{aid}: keys {list(a.keys())}")
        need(re.fullmatch(r"[A-Za-z0-9_-]{1,64}", aid) is not None, f"{aid}: id")
        for k, lim in limits.items():
            need(isinstance(a[k], str) and 0 < len(a[k]) <= lim, f"{aid}: {k} has {len(a[k])} chars (limit {lim})")
        need(150 <= len(a["summary"]) <= 300, f"{aid}: summary {len(a['summary'])} chars, aim 150-300")
        for k in ("economic", "social"):
            need(0 < len(a["benefits"][k]) <= 500, f"{aid}: benefits.{k}")
        need(a["award"] in AWARD_CN, f"{aid}: award")
        need(a["category"] in CATEGORIES and a["kind"] in KINDS, f"{aid}: category/kind")
        need(a["category"] != "小建议" or a["kind"] == "工作创意", f"{aid}: 小建议 must be 工作创意")
        need(a["originality"] in ORIGINALITY, f"{aid}: originality")
        need(all(p in PATENTS for p in a["patents"]), f"{aid}: patents")
        for k in ("applicant", "unit", "union", "industry"):
            need(isinstance(a[k], str) and a[k], f"{aid}: {k}")
        need(re.fullmatch(r"[^-]+-[^-]+", a["industry"]) is not None, f"{aid}: industry 门类-大类")
        need(re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", a["completed"]) is not None, f"{aid}: completed")
        need(isinstance(a["practice_months"], int) and a["practice_months"] >= 0, f"{aid}: practice_months")
        need(isinstance(a["new_quality_productivity"], bool), f"{aid}: nqp")
        cs = a["completers"]
        need(1 <= len(cs) <= 20 and all(c["name"] and c["contribution"] for c in cs), f"{aid}: completers")
        need(len(cs) == 1 or len(cs) <= AWARD_CAP[a["award"]], f"{aid}: {len(cs)} completers over cap")
        need(a["first_completer_intro"].startswith(cs[0]["name"]), f"{aid}: intro names first completer")
        # photos
        need(len(a["photos"]) >= 3, f"{aid}: photos")
        for ph in a["photos"]:
            p = file_ok(aid, ph["file"])
            need(bool(ph["caption"]), f"{aid}: caption")
            with Image.open(p) as im:
                need(im.format == "JPEG", f"{aid}: {ph['file']} not JPEG")
                dpi = im.info.get("dpi", (0, 0))
                need(round(dpi[0]) >= 300 and round(dpi[1]) >= 300, f"{aid}: {ph['file']} dpi {dpi}")
                orient = im.getexif().get(0x0112, 1)
                stored = im.size
                upright = ImageOps.exif_transpose(im).size
                need(upright == PHOTO_SIZE, f"{aid}: {ph['file']} upright size {upright}")
                if orient == 6:
                    sideways += 1
                    need(stored == PHOTO_SIZE[::-1], f"{aid}: sideways photo stored as {stored}")
            if p.stat().st_size < 1_000_000:
                small_photos.append(p.stat().st_size)
        # videos
        for v in a["videos"]:
            p = file_ok(aid, v["file"])
            file_ok(aid, v["poster"])
            need(bool(v["title"]), f"{aid}: video title")
            info = ffprobe(p)
            vs = [s for s in info["streams"] if s["codec_type"] == "video"]
            aus = [s for s in info["streams"] if s["codec_type"] == "audio"]
            need(len(vs) == 1 and len(aus) == 1, f"{aid}: video streams")
            s = vs[0]
            need((s["codec_name"], s["width"], s["height"], s["pix_fmt"]) == ("h264", 1920, 1080, "yuv420p"),
                 f"{aid}: video {s['codec_name']} {s['width']}x{s['height']} {s['pix_fmt']}")
            need(s["avg_frame_rate"] == f"{FPS}/1", f"{aid}: fps {s['avg_frame_rate']}")
            need(aus and aus[0]["codec_name"] == "aac", f"{aid}: video audio codec")
            dur = float(info["format"]["duration"])
            need(8 <= dur <= 12, f"{aid}: video duration {dur}")
            need("mp4" in info["format"]["format_name"], f"{aid}: not mp4")
            boxes = mp4_top_level_boxes(p)
            need("moov" in boxes and "mdat" in boxes and boxes.index("moov") < boxes.index("mdat"),
                 f"{aid}: box order {boxes}")
        # audio
        for au in a["audio"]:
            p = file_ok(aid, au["file"])
            need(bool(au["title"]) and bool(au.get("transcript")), f"{aid}: audio title/transcript")
            need(re.search(r"[A-Za-z0-9%]", au["transcript"]) is None, f"{aid}: transcript has Latin letters/digits")
            info = ffprobe(p)
            need(info["format"]["format_name"] == "mp3" and info["streams"][0]["codec_name"] == "mp3", f"{aid}: not mp3")
            dur = float(info["format"]["duration"])
            need(20 <= dur <= 40, f"{aid}: audio duration {dur:.1f}s")
            res = subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-xerror", "-i", str(p), "-f", "null", "-"],
                                 capture_output=True, text=True)
            need(res.returncode == 0 and not res.stderr.strip(), f"{aid}: mp3 decode: {res.stderr[:200]}")
            notes.append(f"{aid} · audio {dur:.1f}s, {len(au['transcript'])} chars")
        # quiz
        if isinstance(a["quiz"], str):
            quiz = json.loads(file_ok(aid, a["quiz"]).read_text(encoding="utf-8"))
        else:
            quiz = a["quiz"]
        need(len(quiz) >= 20, f"{aid}: quiz has {len(quiz)}")
        types = {q["type"] for q in quiz}
        need(types == {"single", "multiple", "judge"}, f"{aid}: quiz types {types}")
        for i, q in enumerate(quiz):
            ans, opts = q["answer"], q["options"]
            need(bool(q["question"]) and bool(q.get("explanation")), f"{aid}: quiz {i} text")
            need(len(ans) > 0 and all(isinstance(x, int) and 0 <= x < len(opts) for x in ans) and len(set(ans)) == len(ans),
                 f"{aid}: quiz {i} answer")
            need(len(set(opts)) == len(opts), f"{aid}: quiz {i} duplicate options")
            if q["type"] == "single":
                need(len(ans) == 1 and len(opts) >= 2, f"{aid}: quiz {i} single")
            elif q["type"] == "multiple":
                need(len(ans) >= 2 and len(opts) >= 3, f"{aid}: quiz {i} multiple")
            else:
                need(q["type"] == "judge" and opts == ["正确", "错误"] and len(ans) == 1, f"{aid}: quiz {i} judge")
    need(sideways >= 1, "at least one photo with EXIF orientation 6")
    if small_photos:
        notes.append(f"{len(small_photos)} photos under 1 MB ({min(small_photos):,}-{max(small_photos):,} B): importer warns; "
                     "deliberate, 3 photos x 8 achievements at 1 MB would not fit a 10 MB pack")
    # no ID-number or phone-number look-alikes in any text file of the pack
    for p in sorted(OUT.rglob("*.json")):
        s = p.read_text(encoding="utf-8")
        need(ID_LIKE.search(s) is None, f"{p.name}: 18-digit number")
        need(PHONE_LIKE.search(s) is None, f"{p.name}: phone-like number")
    need(not any(p.is_symlink() for p in OUT.rglob("*")), "symlink in pack")
    if problems:
        raise AssertionError("self-check failed:\n  " + "\n  ".join(problems))
    return notes


def main() -> int:
    for tool in ("ffmpeg", "ffprobe", "espeak-ng"):
        if shutil.which(tool) is None:
            print(f"missing tool: {tool}", file=sys.stderr)
            return 2
    if not Path(FONT_PATH).is_file():
        print(f"missing font: {FONT_PATH} (apt-get install fonts-wqy-zenhei)", file=sys.stderr)
        return 2
    print(f"building {OUT.relative_to(ROOT)}")
    pack = build()
    notes = check(pack)
    for n in notes:
        print("  note:", n)
    total = sum(p.stat().st_size for p in OUT.rglob("*") if p.is_file())
    by_kind: dict[str, int] = {}
    for p in OUT.rglob("*"):
        if p.is_file():
            by_kind[p.suffix] = by_kind.get(p.suffix, 0) + p.stat().st_size
    print("  sizes: " + ", ".join(f"{k} {v:,} B" for k, v in sorted(by_kind.items())))
    print(f"self-check passed: {len(pack['achievements'])} achievements")
    print(f"total size: {total:,} bytes")
    assert total <= MAX_PACK_BYTES, f"pack is {total:,} bytes, over {MAX_PACK_BYTES:,}"
    return 0


if __name__ == "__main__":
    sys.exit(main())
