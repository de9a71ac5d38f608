"""benchmarks/compare/crawl_spider.py - Scrapy's leg of benchmarks/compare/crawl: a minimal same-site spider.

Usage: /usr/bin/python3 crawl_spider.py START_URL OUTPUT.jsonl CONCURRENCY DEPTH

Crawls START_URL's host the way `asyncio4j crawl` does on it: every <a href> and <area href> of an HTML page
is followed when it is on the same host (Scrapy's LinkExtractor, with no extension denied: PDFs, archives and
text files are fetched and recorded as asyncio4j records them, not parsed), robots.txt obeyed, no delay, no
AutoThrottle, CONCURRENT_REQUESTS = CONCURRENT_REQUESTS_PER_DOMAIN = CONCURRENCY, depth limited to DEPTH
(0: unlimited). Every response, whatever its status, is one JSON line {"url", "final_url", "status"}: `url`
is the URL requested first (before redirects), `final_url` the one that answered.

Runs on Debian's python3-scrapy (apt-get install python3-scrapy) with the system interpreter.
"""

import sys
from urllib.parse import urlsplit

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.http import HtmlResponse
from scrapy.linkextractors import LinkExtractor


class SameSiteSpider(scrapy.Spider):
    name = "same_site"

    def __init__(self, start_url, **kwargs):
        super().__init__(**kwargs)
        self.start_urls = [start_url]
        host = urlsplit(start_url).hostname
        self.allowed_domains = [host]  # the offsite middleware drops links to other hosts
        self.links = LinkExtractor(deny_extensions=[])

    def start_requests(self):
        # Scrapy's default start request bypasses the duplicate filter: a later link to the start page
        # would fetch it a second time, which neither wget nor asyncio4j does.
        return [scrapy.Request(url) for url in self.start_urls]

    def parse(self, response):
        redirects = response.request.meta.get("redirect_urls") or [response.url]
        yield {"url": redirects[0], "final_url": response.url, "status": response.status}
        if isinstance(response, HtmlResponse):
            for link in self.links.extract_links(response):
                yield response.follow(link, callback=self.parse)


def main(argv):
    if len(argv) != 4:
        sys.exit(__doc__.split("\n\n")[1])
    start_url, output, concurrency, depth = argv[0], argv[1], int(argv[2]), int(argv[3])
    process = CrawlerProcess(settings={
        "FEEDS": {output: {"format": "jsonlines", "overwrite": True}},
        "CONCURRENT_REQUESTS": concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
        "CONCURRENT_REQUESTS_PER_IP": 0,
        "DOWNLOAD_DELAY": 0,
        "RANDOMIZE_DOWNLOAD_DELAY": False,
        "AUTOTHROTTLE_ENABLED": False,
        "ROBOTSTXT_OBEY": True,
        "DEPTH_LIMIT": depth,
        "HTTPERROR_ALLOW_ALL": True,  # 404s reach parse() and are recorded, as the other tools record them
        "RETRY_ENABLED": False,  # neither wget (one try on 404) nor asyncio4j retry a local 404
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "INFO",
        "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
    })
    process.crawl(SameSiteSpider, start_url=start_url)
    process.start()


if __name__ == "__main__":
    main(sys.argv[1:])
