import factory

from accounts.tests.factories import UserFactory
from contacts.models import Contact
from organizations.tests.factories import OrganizationFactory


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    organization = factory.SubFactory(OrganizationFactory)
    owner = factory.SubFactory(UserFactory)
    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"contact{n}@example.org")
    phone = factory.Sequence(lambda n: f"+1 555 {n:07d}")
