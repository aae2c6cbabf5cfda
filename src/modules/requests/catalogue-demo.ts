/**
 * The request types and area of the demo town, also used by the tests: potholes, streetlights,
 * missed pickups and graffiti, in a fictional Quebec town placed near Lac-Beauport (north of
 * Québec City).
 */
import type { TypeDefinition } from './setup.ts';
import type { TownArea } from './types.ts';

export const DEMO_AREA: TownArea = {
  minLat: 46.93,
  minLng: -71.35,
  maxLat: 47.03,
  maxLng: -71.2,
  polygon: null,
  center: { lat: 46.975, lng: -71.285 },
  zoom: 14,
};

export const DEMO_TYPES: TypeDefinition[] = [
  {
    code: 'pothole',
    name: { fr: 'Nid-de-poule', en: 'Pothole' },
    description: { fr: 'Un trou dans la chaussée, une rue ou une piste cyclable.', en: 'A hole in the road, a street or a bike path.' },
    group: { fr: 'Rues et trottoirs', en: 'Streets and sidewalks' },
    keywords: ['trou', 'chaussée', 'asphalte', 'hole', 'road', 'asphalt'],
    targetHours: 120,
    position: 1,
    questions: [
      {
        code: 'size',
        datatype: 'singlevaluelist',
        required: true,
        label: { fr: 'Taille du trou', en: 'Size of the hole' },
        values: [
          { key: 'small', name: { fr: 'Plus petit qu’une assiette', en: 'Smaller than a plate' } },
          { key: 'medium', name: { fr: 'Comme un pneu', en: 'About a tyre' } },
          { key: 'large', name: { fr: 'Plus grand qu’un pneu', en: 'Larger than a tyre' } },
        ],
      },
      {
        code: 'lane',
        datatype: 'multivaluelist',
        label: { fr: 'Où se trouve-t-il ?', en: 'Where is it?' },
        values: [
          { key: 'road', name: { fr: 'Voie de circulation', en: 'Traffic lane' } },
          { key: 'bike', name: { fr: 'Piste cyclable', en: 'Bike lane' } },
          { key: 'shoulder', name: { fr: 'Accotement', en: 'Shoulder' } },
        ],
      },
    ],
  },
  {
    code: 'streetlight',
    name: { fr: 'Lampadaire éteint', en: 'Streetlight out' },
    description: { fr: 'Un lampadaire éteint, qui clignote ou reste allumé le jour.', en: 'A streetlight that is out, flickers or stays on during the day.' },
    group: { fr: 'Rues et trottoirs', en: 'Streets and sidewalks' },
    keywords: ['éclairage', 'lumière', 'poteau', 'lighting', 'lamp', 'light'],
    targetHours: 168,
    position: 2,
    questions: [
      { code: 'pole_number', datatype: 'string', label: { fr: 'Numéro du poteau', en: 'Pole number' }, help: { fr: 'Inscrit sur une plaque, s’il y en a une.', en: 'Written on a tag, if there is one.' } },
      { code: 'lights_out', datatype: 'number', label: { fr: 'Combien de lampadaires sont éteints ?', en: 'How many lights are out?' } },
    ],
  },
  {
    code: 'missed-pickup',
    name: { fr: 'Collecte oubliée', en: 'Missed garbage pickup' },
    description: { fr: 'Vos ordures, votre recyclage ou votre compost n’ont pas été ramassés.', en: 'Your garbage, recycling or compost was not picked up.' },
    group: { fr: 'Matières résiduelles', en: 'Waste and recycling' },
    keywords: ['ordures', 'déchets', 'bac', 'recyclage', 'compost', 'garbage', 'trash', 'bin', 'recycling'],
    targetHours: 48,
    allowAnonymous: false,
    position: 3,
    questions: [
      {
        code: 'stream',
        datatype: 'singlevaluelist',
        required: true,
        label: { fr: 'Quelle collecte ?', en: 'Which pickup?' },
        values: [
          { key: 'garbage', name: { fr: 'Ordures', en: 'Garbage' } },
          { key: 'recycling', name: { fr: 'Recyclage', en: 'Recycling' } },
          { key: 'compost', name: { fr: 'Compost', en: 'Compost' } },
        ],
      },
      { code: 'pickup_day', datatype: 'datetime', required: true, label: { fr: 'Jour de collecte prévu', en: 'Scheduled pickup day' } },
    ],
  },
  {
    code: 'graffiti',
    name: { fr: 'Graffiti', en: 'Graffiti' },
    description: { fr: 'Un graffiti sur un bâtiment, un panneau ou du mobilier urbain.', en: 'Graffiti on a building, a sign or street furniture.' },
    group: { fr: 'Propreté', en: 'Cleanliness' },
    keywords: ['tag', 'vandalisme', 'peinture', 'vandalism', 'paint'],
    targetHours: 240,
    position: 4,
    questions: [
      { code: 'offensive', datatype: 'singlevaluelist', label: { fr: 'Le message est-il haineux ou offensant ?', en: 'Is the message hateful or offensive?' }, values: [{ key: 'yes', name: { fr: 'Oui', en: 'Yes' } }, { key: 'no', name: { fr: 'Non', en: 'No' } }] },
      { code: 'surface', datatype: 'text', label: { fr: 'Sur quoi est-il ?', en: 'What is it on?' } },
    ],
  },
];
