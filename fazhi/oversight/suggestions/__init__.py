"""NPC suggestions 人大代表建议, CPPCC proposals 政协提案, procuratorial suggestions 检察建议 and
judicial suggestions 司法建议 (report part 七): declarations, indicators, statistics, demo."""
