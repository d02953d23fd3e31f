//! The schemas after the dialect check: everything the emitters need, already resolved and named.

/// All schema modules, sorted by name.
#[derive(Debug)]
pub struct Catalog {
    /// One entry per directory under `schemas/` that holds schema files.
    pub modules: Vec<Module>,
}

impl Catalog {
    /// The definition a reference points at (the dialect check guarantees it exists).
    pub fn def(&self, target: &TypeRef) -> Option<&Def> {
        self.modules
            .iter()
            .flat_map(|m| &m.files)
            .filter(|f| f.path == target.file)
            .flat_map(|f| &f.defs)
            .find(|d| d.name == target.name)
    }
}

/// One directory of `schemas/`, generated into one Rust module.
#[derive(Debug)]
pub struct Module {
    /// Directory name, also the Rust module name (`mp`).
    pub name: String,
    /// Schema files, sorted by path.
    pub files: Vec<File>,
    /// The errcode catalogue of this module, if it has one.
    pub errcodes: Option<ErrcodeCatalogue>,
}

/// One `*.schema.json` file, generated into one Rust file.
#[derive(Debug)]
pub struct File {
    /// Path relative to `schemas/` (`mp/typing.schema.json`).
    pub path: String,
    /// File module name (`typing`).
    pub stem: String,
    /// The file's `description`.
    pub description: String,
    /// Definitions in document order.
    pub defs: Vec<Def>,
    /// Endpoint declarations in document order.
    pub endpoints: Vec<Endpoint>,
}

/// A resolved reference to a definition.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeRef {
    /// Module of the definition.
    pub module: String,
    /// Schema file of the definition, relative to `schemas/`.
    pub file: String,
    /// Definition (and Rust type) name.
    pub name: String,
}

impl TypeRef {
    /// The JSON pointer form used by `EndpointSpec` (`mp/x.schema.json#/$defs/Name`).
    pub fn pointer(&self) -> String {
        format!("{}#/$defs/{}", self.file, self.name)
    }
}

/// One `$defs` entry.
#[derive(Debug)]
pub struct Def {
    /// Rust type name.
    pub name: String,
    /// Doc comment.
    pub description: String,
    /// What it becomes.
    pub kind: DefKind,
}

/// The four shapes of the dialect.
#[derive(Debug)]
pub enum DefKind {
    /// An object: a struct.
    Struct(Struct),
    /// A tagged union: an enum with data.
    Union(Union),
    /// A string enum: an enum of unit variants.
    StringEnum(StringEnum),
    /// A constrained string: a newtype.
    Newtype(StrLimits),
}

/// An object definition.
#[derive(Debug)]
pub struct Struct {
    /// Fields and flattened members, in Rust field order.
    pub members: Vec<Member>,
    /// Object-level check function in `wechat_types::checks`.
    pub check: Option<String>,
}

/// A struct member.
#[derive(Debug)]
pub enum Member {
    /// A property.
    Field(Field),
    /// An `allOf` entry flattened into the struct.
    Flatten {
        /// Rust field name.
        rust: String,
        /// The flattened definition (an object or a union).
        target: TypeRef,
    },
}

/// A property.
#[derive(Debug, Clone)]
pub struct Field {
    /// Name on the wire.
    pub wire: String,
    /// Rust field name.
    pub rust: String,
    /// Doc comment.
    pub description: String,
    /// Rust type, before `Option`.
    pub ty: Ty,
    /// Whether the member must be present.
    pub presence: Presence,
    /// A credential: redacted in `Debug`.
    pub secret: bool,
}

/// How a property's absence is handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Listed in `required`.
    Required,
    /// Not required: `Option<T>`.
    Optional,
    /// Not required, with the type's natural `default`: `T`, absent decodes as the default.
    Defaulted,
}

/// The type of a property or array item.
#[derive(Debug, Clone)]
pub enum Ty {
    /// `String`; `also_number` when WeChat may send a number instead.
    String {
        /// Limits to check.
        limits: StrLimits,
        /// The schema type is `["string", "integer"]`.
        also_integer: bool,
    },
    /// An integer of the given width.
    Integer {
        /// Rust width.
        format: IntFormat,
        /// Inclusive bounds.
        bounds: Bounds,
        /// The schema type is `["integer", "string"]`.
        also_string: bool,
    },
    /// `f64`.
    Number {
        /// Inclusive bounds.
        bounds: Bounds,
        /// The schema type is `["number", "string"]`.
        also_string: bool,
    },
    /// `bool`.
    Bool,
    /// A definition.
    Ref(TypeRef),
    /// `Vec<T>`.
    Array {
        /// Item type.
        items: Box<Ty>,
        /// `minItems`.
        min_items: Option<u64>,
        /// `maxItems`.
        max_items: Option<u64>,
    },
}

/// Integer widths of the dialect (`format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntFormat {
    /// `int32`.
    I32,
    /// `int64` (the default).
    I64,
    /// `uint32`.
    U32,
    /// `uint64`.
    U64,
}

impl IntFormat {
    /// The Rust type name.
    pub fn rust(self) -> &'static str {
        match self {
            IntFormat::I32 => "i32",
            IntFormat::I64 => "i64",
            IntFormat::U32 => "u32",
            IntFormat::U64 => "u64",
        }
    }
}

/// Inclusive numeric bounds, kept as written.
#[derive(Debug, Clone, Default)]
pub struct Bounds {
    /// `minimum`.
    pub minimum: Option<serde_json::Number>,
    /// `maximum`.
    pub maximum: Option<serde_json::Number>,
}

/// String limits.
#[derive(Debug, Clone, Default)]
pub struct StrLimits {
    /// `minLength`, in Unicode scalar values.
    pub min_length: Option<u64>,
    /// `maxLength`, in Unicode scalar values.
    pub max_length: Option<u64>,
    /// `x-min-bytes`.
    pub min_bytes: Option<u64>,
    /// `x-max-bytes`.
    pub max_bytes: Option<u64>,
    /// `pattern` (enforced in Rust by `check`).
    pub pattern: Option<String>,
    /// `x-rust-check`.
    pub check: Option<String>,
}

impl StrLimits {
    /// Whether any limit is set.
    pub fn any(&self) -> bool {
        self.min_length.is_some()
            || self.max_length.is_some()
            || self.min_bytes.is_some()
            || self.max_bytes.is_some()
            || self.check.is_some()
    }
}

/// A tagged union.
#[derive(Debug)]
pub struct Union {
    /// The wire name of the tag member (`msgtype`, `MsgType`, `Event`).
    pub tag: String,
    /// Variants in document order.
    pub variants: Vec<Variant>,
    /// Whether an `Unknown` variant keeps unrecognised payloads.
    pub unknown: bool,
}

/// One union branch.
#[derive(Debug)]
pub struct Variant {
    /// The tag value.
    pub value: String,
    /// Rust variant name.
    pub rust: String,
    /// Doc comment.
    pub description: String,
    /// The payload.
    pub shape: VariantShape,
}

/// The payload of a union branch.
#[derive(Debug)]
pub enum VariantShape {
    /// A `$ref` branch: `Variant(Type)`.
    Newtype(TypeRef),
    /// An inline branch: `Variant { fields }` (a unit variant when empty).
    Fields(Vec<Field>),
}

/// A string enum.
#[derive(Debug)]
pub struct StringEnum {
    /// Values in document order.
    pub values: Vec<EnumValue>,
    /// Whether an `Unknown(String)` variant keeps unrecognised values.
    pub unknown: bool,
}

/// One value of a string enum.
#[derive(Debug)]
pub struct EnumValue {
    /// The value on the wire.
    pub value: String,
    /// Rust variant name.
    pub rust: String,
    /// Doc comment.
    pub description: String,
}

/// An `x-endpoints` entry.
#[derive(Debug)]
pub struct Endpoint {
    /// Snake-case id (`send_custom_message`).
    pub id: String,
    /// Doc comment.
    pub description: String,
    /// `GET` or `POST`.
    pub method: Method,
    /// Host name.
    pub host: Host,
    /// The surfaces whose clients may execute it, in declaration order.
    pub platforms: Vec<Platform>,
    /// URL path.
    pub path: String,
    /// Whether `access_token` goes in the query.
    pub access_token: bool,
    /// Other query parameters.
    pub query: Option<TypeRef>,
    /// Request body.
    pub body: Body,
    /// Response body.
    pub response: Response,
}

/// HTTP methods used by WeChat.
#[derive(Debug, Clone, Copy)]
pub enum Method {
    /// GET.
    Get,
    /// POST.
    Post,
}

impl Method {
    /// The method name.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// API hosts.
#[derive(Debug, Clone, Copy)]
pub enum Host {
    /// `api.weixin.qq.com` (Official Account, Mini Program).
    Api,
    /// `qyapi.weixin.qq.com` (WeChat Work).
    Qyapi,
}

impl Host {
    /// The host name.
    pub fn as_str(self) -> &'static str {
        match self {
            Host::Api => "api.weixin.qq.com",
            Host::Qyapi => "qyapi.weixin.qq.com",
        }
    }
}

/// WeChat surfaces (`platforms` of an endpoint).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Platform {
    /// `official_account`.
    OfficialAccount,
    /// `mini_program`.
    MiniProgram,
    /// `work`.
    Work,
}

/// Request body kinds.
#[derive(Debug)]
pub enum Body {
    /// No body.
    None,
    /// A JSON body of this type.
    Json(TypeRef),
    /// A multipart form with the file in this field.
    Multipart(String),
}

/// Response body kinds.
#[derive(Debug)]
pub enum Response {
    /// A JSON body of this type (after the errcode check).
    Json(TypeRef),
    /// Binary media, or JSON of this type for some media, or an errcode JSON.
    Media(TypeRef),
}

/// An errcode catalogue.
#[derive(Debug)]
pub struct ErrcodeCatalogue {
    /// Path relative to `schemas/`.
    pub path: String,
    /// Doc comment of the generated `Errcode` type.
    pub description: String,
    /// Codes, sorted.
    pub codes: Vec<ErrcodeEntry>,
}

/// One known errcode.
#[derive(Debug)]
pub struct ErrcodeEntry {
    /// The number.
    pub code: i64,
    /// SCREAMING_SNAKE_CASE constant name.
    pub name: String,
    /// The `errmsg` WeChat returns, when known.
    pub errmsg: Option<String>,
    /// What it means.
    pub meaning: String,
    /// What a caller should do (`Handling` variant name in snake case).
    pub handling: String,
    /// Caveats (LEGACY, UNCONFIRMED).
    pub note: Option<String>,
}
