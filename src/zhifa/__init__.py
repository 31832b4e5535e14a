"""zhifa — 交通运输综合执法综合管理服务平台 (integrated transport law-enforcement platform)."""

__version__ = "0.1.0"
