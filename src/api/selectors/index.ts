// Label and field selectors as list/watch and the controllers use them.
export {
  LabelSelector,
  parseLabelSelector,
  labelSelectorFromObject,
  selectorFromSet,
  type LabelSelectorObject,
} from './label-selector.js';
export { LABEL_OPERATORS, type LabelOperator, type Labels, type Requirement } from './label-requirement.js';
export {
  FieldSelector,
  parseFieldSelector,
  fieldSelectorFromSet,
  escapeFieldValue,
  type FieldRequirement,
  type FieldOperator,
  type Fields,
  type FieldTransform,
} from './field-selector.js';
export { FIELD_SELECTOR_FIELDS, fieldsOf, convertFieldSelector, fieldSelectorMatches } from './selectable-fields.js';
