"""Static files from the application (WhiteNoise), for a year under hashed names."""

from whitenoise.middleware import WhiteNoiseMiddleware


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise, with the same year of caching as everywhere else.

    A hashed name (css/site.3f9a…c2.css, made by collectstatic) never changes
    content, so browsers and CDNs may keep it "for ever". WhiteNoise says ten
    years; uploads (interpol_drugs/media.py) and nginx's front (deploy/nginx.conf)
    say one, HTTP's customary "never expires": one header for the whole site.
    """

    FOREVER = 31_536_000
