"""Where newslint meets other tools: the Scrapy item pipeline
(`newslint.integrations.scrapy.NewslintPipeline`). Each integration imports
its tool only when used, so `import newslint` never needs Scrapy."""
