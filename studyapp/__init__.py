"""studyapp: study the compute section of the AWS Certified Cloud Practitioner exam."""
