"""Review requests' records (审查建议, 依申请审查): filled in by the review-request part."""
