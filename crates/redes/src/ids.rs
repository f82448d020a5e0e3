//! Typed ids and stored vocabularies. A `SchoolId` cannot be passed where a
//! `NetworkId` is expected (a `Path<(NetworkId, SchoolId)>` cannot be read
//! the wrong way round), and kinds, countries and statuses are enums whose
//! text form is what the database stores.

/// Declares a typed id: an `i64` in the database, in JSON and in URLs.
macro_rules! typed_id {
    ($($(#[$doc:meta])* $name:ident),+ $(,)?) => {$(
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize, sqlx::Type, utoipa::ToSchema,
        )]
        #[serde(transparent)]
        #[sqlx(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl From<$name> for minijinja::Value {
            fn from(id: $name) -> minijinja::Value {
                minijinja::Value::from(id.0)
            }
        }
    )+};
}

typed_id!(
    /// A school (or a Colombian sede).
    SchoolId,
    /// A network of schools.
    NetworkId,
    /// A person, with or without an account.
    PersonId,
    /// A role held by a person in a scope, from a date to a date.
    MembershipId,
    /// An institutional call.
    CallId,
    /// A network's proposal of a call to the authority of a territory.
    CallProposalId,
    /// A saved encounter plan.
    PlanId,
    /// An API token.
    TokenId,
    /// A network's annual work plan.
    WorkPlanId,
    /// A strategic or annual objective of a work plan.
    ObjectiveId,
    /// An action of a work plan.
    ActionId,
    /// An indicator of a work plan, with a baseline and a goal.
    IndicatorId,
    /// One measurement of an indicator.
    MeasurementId,
    /// A meeting (a network session, an encounter session, a workshop...).
    MeetingId,
    /// A series of recurring meetings.
    SeriesId,
    /// An item on a meeting's agenda.
    AgendaItemId,
    /// A row of a meeting's attendance (a roster entry or a guest).
    AttendanceId,
    /// A document attached to a meeting.
    DocumentId,
    /// An agreement taken at a meeting.
    AgreementId,
    /// A duty on an encounter session's checklist.
    ChecklistItemId,
    /// An observer's record of an encounter session.
    ObserverRecordId,
    /// A private calendar feed.
    FeedId,
    /// A good practice of a network (issue 12).
    PracticeId,
    /// A file of evidence attached to a practice.
    PracticeFileId,
    /// A school's record that it adopted a practice (issue 12 item 4).
    ReplicationId,
    /// A peer review of a practice: a reviewer assigned, then their scores.
    ReviewId,
    /// The review rubric of a country or a region.
    RubricId,
);

/// Stores an enum as its text code (`code()` out, `FromStr` in) on both
/// databases through sqlx's `Any` driver.
#[macro_export]
macro_rules! stored_as_text {
    ($name:ty) => {
        impl sqlx::Type<sqlx::Any> for $name {
            fn type_info() -> sqlx::any::AnyTypeInfo {
                <String as sqlx::Type<sqlx::Any>>::type_info()
            }
            fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
                <String as sqlx::Type<sqlx::Any>>::compatible(ty)
            }
        }

        impl<'q> sqlx::Encode<'q, sqlx::Any> for $name {
            fn encode_by_ref(
                &self,
                buf: &mut <sqlx::Any as sqlx::Database>::ArgumentBuffer<'q>,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <&str as sqlx::Encode<'q, sqlx::Any>>::encode(self.code(), buf)
            }
        }

        impl<'r> sqlx::Decode<'r, sqlx::Any> for $name {
            fn decode(
                value: <sqlx::Any as sqlx::Database>::ValueRef<'r>,
            ) -> Result<Self, sqlx::error::BoxDynError> {
                let text = <String as sqlx::Decode<'r, sqlx::Any>>::decode(value)?;
                text.parse::<$name>()
                    .map_err(|_| format!("unknown {} {text:?}", stringify!($name)).into())
            }
        }
    };
}
