"""Road administration: classes of road, patrol finding categories, statuses and their transitions."""

from __future__ import annotations

from enum import StrEnum


class RoadClass(StrEnum):
    EXPRESSWAY = "expressway"  # 高速公路
    NATIONAL = "national"  # 国道
    PROVINCIAL = "provincial"  # 省道
    COUNTY = "county"  # 县道
    TOWNSHIP = "township"  # 乡道


ROAD_CLASS_ZH = {
    RoadClass.EXPRESSWAY: "高速公路",
    RoadClass.NATIONAL: "国道",
    RoadClass.PROVINCIAL: "省道",
    RoadClass.COUNTY: "县道",
    RoadClass.TOWNSHIP: "乡道",
}

ROAD_CLASS_EN = {
    RoadClass.EXPRESSWAY: "Expressway",
    RoadClass.NATIONAL: "National road",
    RoadClass.PROVINCIAL: "Provincial road",
    RoadClass.COUNTY: "County road",
    RoadClass.TOWNSHIP: "Township road",
}


class FindingCategory(StrEnum):
    ILLEGAL_BUILDING = "illegal_building"  # 建筑控制区内违法建筑
    OCCUPATION = "occupation"  # 占用、挖掘公路
    SIGNS_ADS = "signs_ads"  # 非公路标志、广告
    CROPS_DRYING = "crops_drying"  # 打场晒粮
    DAMAGE = "damage"  # 损坏公路设施
    OTHER = "other"


FINDING_CATEGORY_ZH = {
    FindingCategory.ILLEGAL_BUILDING: "建筑控制区内违法建筑",
    FindingCategory.OCCUPATION: "占用、挖掘公路",
    FindingCategory.SIGNS_ADS: "擅自设置非公路标志、广告",
    FindingCategory.CROPS_DRYING: "公路上打场晒粮",
    FindingCategory.DAMAGE: "损坏、污染公路设施",
    FindingCategory.OTHER: "其他",
}

FINDING_CATEGORY_EN = {
    FindingCategory.ILLEGAL_BUILDING: "Illegal building in the building-control zone",
    FindingCategory.OCCUPATION: "Occupying or digging up the road",
    FindingCategory.SIGNS_ADS: "Unauthorised non-road signs or advertising",
    FindingCategory.CROPS_DRYING: "Threshing or drying crops on the road",
    FindingCategory.DAMAGE: "Damaging or polluting road facilities",
    FindingCategory.OTHER: "Other",
}

# which catalogue item of the cases slice a finding of each category is opened under (路政四违)
CATALOGUE_FOR_CATEGORY = {
    FindingCategory.ILLEGAL_BUILDING: "ROAD-BUILD",
    FindingCategory.OCCUPATION: "ROAD-OCCUPY",
    FindingCategory.SIGNS_ADS: "ROAD-OCCUPY",
    FindingCategory.CROPS_DRYING: "ROAD-OCCUPY",
    FindingCategory.DAMAGE: "ROAD-OCCUPY",
    FindingCategory.OTHER: "ROAD-OCCUPY",
}


class FindingStatus(StrEnum):
    OPEN = "open"  # 待处理
    NOTICE = "notice"  # 已下达责令改正通知
    CASE = "case"  # 已立案
    RESOLVED = "resolved"  # 已整改/已处理


FINDING_TRANSITIONS: dict[FindingStatus, frozenset[FindingStatus]] = {
    FindingStatus.OPEN: frozenset({FindingStatus.NOTICE, FindingStatus.CASE, FindingStatus.RESOLVED}),
    FindingStatus.NOTICE: frozenset({FindingStatus.CASE, FindingStatus.RESOLVED}),
    FindingStatus.CASE: frozenset({FindingStatus.RESOLVED}),
    FindingStatus.RESOLVED: frozenset(),
}

FINDING_STATUS_ZH = {"open": "待处理", "notice": "已责令改正", "case": "已立案", "resolved": "已办结"}
FINDING_STATUS_EN = {"open": "Open", "notice": "Rectification ordered", "case": "Case opened", "resolved": "Resolved"}


class TaskStatus(StrEnum):
    OPEN = "open"  # 待核查
    CONFIRMED = "confirmed"  # 现场核实为违法建筑
    DISMISSED = "dismissed"  # 误报


TASK_TRANSITIONS: dict[TaskStatus, frozenset[TaskStatus]] = {
    TaskStatus.OPEN: frozenset({TaskStatus.CONFIRMED, TaskStatus.DISMISSED}),
    TaskStatus.CONFIRMED: frozenset(),
    TaskStatus.DISMISSED: frozenset(),
}


class AdStatus(StrEnum):
    TO_CLEAR = "to_clear"  # 待清理
    CLEARED = "cleared"  # 已清理
    APPROVED = "approved"  # 依法许可保留


AD_TRANSITIONS: dict[AdStatus, frozenset[AdStatus]] = {
    AdStatus.TO_CLEAR: frozenset({AdStatus.CLEARED, AdStatus.APPROVED}),
    AdStatus.APPROVED: frozenset({AdStatus.TO_CLEAR}),  # permit lapsed
    AdStatus.CLEARED: frozenset(),
}

AD_STATUS_ZH = {"to_clear": "待清理", "cleared": "已清理", "approved": "许可保留"}
AD_STATUS_EN = {"to_clear": "To be cleared", "cleared": "Cleared", "approved": "Kept under permit"}


class RoundStatus(StrEnum):
    OPEN = "open"  # 评定中
    PUBLISHED = "published"  # 已公布


REMOTE_SENSING_RULE = "new_building_in_control_zone"
