from django.urls import reverse

from programmes.content.facts import figures_of
from programmes.content.geography import Geography
from programmes.content.models import Organisation, Programme, Region

from . import downloads, openapi, queries
from .responses import ApiError, api_view, json_response, paginated_response
from .serializers import country_data, organisation_data, programme_data, region_data


@api_view(cached=False)
def index(request):
    def url(name):
        return request.build_absolute_uri(reverse(f"api:{name}"))

    return json_response(
        {
            "programmes": url("programme_list"),
            "organisations": url("organisation_list"),
            "regions": url("region_list"),
            "countries": url("country_list"),
            "csv": {
                "programmes": url("programme_csv"),
                "organisations": url("organisation_csv"),
                "regions": url("region_csv"),
                "countries": url("country_csv"),
            },
            "openapi": url("openapi"),
        }
    )


@api_view(cached=False)
def openapi_document(request):
    return json_response(openapi.document(request))


@api_view(cached=False)
def unknown_address(request):
    raise ApiError(
        404,
        f"Nothing at {request.path}: the API is described at {reverse('api:openapi')}.",
    )


# --- Programmes ---------------------------------------------------------------


@api_view(paginated=True)
def programme_list(request):
    geography = Geography.published()
    return paginated_response(
        request,
        queries.programmes(),
        lambda item: programme_data(item, request, geography),
    )


@api_view(subject=lambda pk: Programme.objects.published().filter(pk=pk))
def programme_detail(request, pk):
    programme = queries.programme_with_figures(pk)
    if programme is None:
        raise ApiError(404, f"No published programme has the id {pk}.")
    return json_response(
        programme_data(programme, request, figures=figures_of(programme))
    )


@api_view
def programme_csv(request):
    return downloads.csv_response(
        "programmes.csv",
        downloads.programme_rows(request),
        downloads.PROGRAMME_COLUMNS,
        lambda row: row,
    )


# --- Organisations ------------------------------------------------------------


@api_view(paginated=True)
def organisation_list(request):
    return paginated_response(
        request,
        queries.organisations(),
        lambda item: organisation_data(item, request),
    )


@api_view(subject=lambda pk: Organisation.objects.published().filter(pk=pk))
def organisation_detail(request, pk):
    organisation = queries.organisations().filter(pk=pk).first()
    if organisation is None:
        raise ApiError(404, f"No organisation has the id {pk}.")
    return json_response(organisation_data(organisation, request))


@api_view
def organisation_csv(request):
    return downloads.csv_response(
        "organisations.csv",
        queries.organisations(),
        downloads.ORGANISATION_COLUMNS,
        lambda item: organisation_data(item, request),
    )


# --- Regions ------------------------------------------------------------------


@api_view(paginated=True)
def region_list(request):
    codes = queries.beneficiary_codes()
    return paginated_response(
        request, queries.regions(), lambda item: region_data(item, request, codes)
    )


@api_view(subject=lambda pk: Region.objects.published().filter(pk=pk))
def region_detail(request, pk):
    region = queries.region(pk)
    if region is None:
        raise ApiError(404, f"No region has the id {pk}.")
    return json_response(region_data(region, request, queries.beneficiary_codes()))


@api_view
def region_csv(request):
    codes = queries.beneficiary_codes()
    return downloads.csv_response(
        "regions.csv",
        queries.regions(),
        downloads.REGION_COLUMNS,
        lambda item: region_data(item, request, codes),
    )


# --- Countries ----------------------------------------------------------------


@api_view(paginated=True)
def country_list(request):
    return paginated_response(
        request, queries.countries(), lambda item: country_data(item, request)
    )


@api_view(
    subject=lambda code: (
        Programme.objects.published().for_country(code)
        if queries.is_country_code(code)
        else Programme.objects.none()
    )
)
def country_detail(request, code):
    country = queries.country(code)
    if country is None:
        raise ApiError(
            404,
            f"No published programme names the country {code!r}. Countries are "
            "named by their lowercase ISO 3166-1 alpha-2 code, e.g. gh.",
        )
    return json_response(country_data(country, request))


@api_view
def country_csv(request):
    return downloads.csv_response(
        "countries.csv",
        queries.countries(),
        downloads.COUNTRY_COLUMNS,
        lambda item: country_data(item, request),
    )
