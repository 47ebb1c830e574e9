# A data migration on its own: PostgreSQL cannot alter a table with the
# inserts' constraint checks pending in the same transaction.

from django.db import migrations


# The languages whose columns exist at this point, not today's
# settings.LANGUAGES (a later language's columns come with a later migration).
LANGUAGES = ["fr", "en"]

# The former undated fields become key facts flagged "unsourced": no "as of"
# date and no source is guessed. A key fact already giving the same value (the
# content file's, loaded before) is marked as measuring it instead.
LABELS = {
    "period": {"fr": "Période", "en": "Period"},
    "budget": {"fr": "Budget", "en": "Budget"},
    "stated_countries": {"fr": "Pays bénéficiaires", "en": "Beneficiary countries"},
}


def former_values(programme):
    values = {}
    if programme.start_year or programme.end_year:
        values["period"] = {
            "kind": "period",
            "first_year": programme.start_year,
            "last_year": programme.end_year,
        }
    if programme.budget_amount is not None:
        values["budget"] = {
            "kind": "money",
            "number": programme.budget_amount,
            "currency": programme.budget_currency,
        }
    if programme.stated_country_count:
        values["stated_countries"] = {
            "kind": "number",
            "number": programme.stated_country_count,
        }
    return values


def same_value(fact, value):
    return all((getattr(fact, name) == wanted) for name, wanted in value.items())


def figures_from_former_fields(apps, schema_editor):
    Programme = apps.get_model("programmes", "Programme")
    KeyFact = apps.get_model("programmes", "KeyFact")
    for programme in Programme.objects.all():
        facts = list(KeyFact.objects.filter(programme=programme))
        last_order = max((fact.display_order for fact in facts), default=0)
        for measure, value in former_values(programme).items():
            same = [
                fact
                for fact in facts
                if fact.measure == "other" and same_value(fact, value)
            ]
            if same:
                same[0].measure = measure
                same[0].save(update_fields=["measure"])
                continue
            last_order += 1
            labels = {f"label_{code}": LABELS[measure][code] for code in LANGUAGES}
            KeyFact.objects.create(
                programme=programme,
                measure=measure,
                status="unsourced",
                as_of=None,
                source=None,
                label=LABELS[measure]["fr"],
                display_order=last_order,
                **labels,
                **value,
            )


def former_fields_from_figures(apps, schema_editor):
    Programme = apps.get_model("programmes", "Programme")
    KeyFact = apps.get_model("programmes", "KeyFact")
    for fact in KeyFact.objects.exclude(measure="other"):
        programme = Programme.objects.get(pk=fact.programme_id)
        if fact.measure == "period":
            programme.start_year, programme.end_year = fact.first_year, fact.last_year
        elif fact.measure == "budget":
            programme.budget_amount = fact.number
            programme.budget_currency = fact.currency
        else:
            programme.stated_country_count = int(fact.number)
        programme.save()
    KeyFact.objects.filter(status="unsourced").delete()


class Migration(migrations.Migration):
    dependencies = [("programmes", "0026_key_fact_measure")]

    operations = [
        migrations.RunPython(figures_from_former_fields, former_fields_from_figures),
    ]
