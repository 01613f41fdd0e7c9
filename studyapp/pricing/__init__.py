"""Pricing calculators for Lambda, Fargate, API Gateway, ECR, Batch and Lightsail: exact to the cent."""
