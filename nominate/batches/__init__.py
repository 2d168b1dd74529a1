"""City batches (推荐批次): rank order, the 推荐工作报告 and the submission to the province."""
