/** Words the demo catalogue is built from: real-sounding products in familiar categories. */
export const DEMO_CATEGORIES: Record<string, { products: string[]; priceRange: [number, number] }> =
  {
    kitchen: {
      products: [
        'Kettle',
        'Toaster',
        'Chef Knife',
        'Frying Pan',
        'Stock Pot',
        'Cutting Board',
        'Mixing Bowl Set',
        'Coffee Grinder',
        'French Press',
        'Spice Rack',
      ],
      priceRange: [8, 120],
    },
    bathroom: {
      products: [
        'Bath Towel',
        'Shower Curtain',
        'Bath Mat',
        'Toothbrush Holder',
        'Soap Dispenser',
        'Mirror Cabinet',
        'Towel Rail',
        'Laundry Basket',
      ],
      priceRange: [5, 90],
    },
    garden: {
      products: [
        'Hose Reel',
        'Pruning Shears',
        'Watering Can',
        'Garden Kneeler',
        'Plant Pot',
        'Bird Feeder',
        'Solar Path Light',
        'Compost Bin',
        'Rake',
        'Trowel',
      ],
      priceRange: [6, 150],
    },
    lighting: {
      products: [
        'Desk Lamp',
        'Floor Lamp',
        'Pendant Shade',
        'LED Bulb 4-pack',
        'String Lights',
        'Night Light',
        'Wall Sconce',
      ],
      priceRange: [7, 180],
    },
    bedding: {
      products: [
        'Duvet Cover',
        'Pillow',
        'Fitted Sheet',
        'Throw Blanket',
        'Mattress Protector',
        'Weighted Blanket',
      ],
      priceRange: [12, 140],
    },
    tools: {
      products: [
        'Cordless Drill',
        'Screwdriver Set',
        'Claw Hammer',
        'Tape Measure',
        'Spirit Level',
        'Socket Set',
        'Utility Knife',
        'Stud Finder',
      ],
      priceRange: [6, 160],
    },
    electronics: {
      products: [
        'USB-C Charger',
        'Bluetooth Speaker',
        'HDMI Cable',
        'Power Bank',
        'Wireless Mouse',
        'Keyboard',
        'Headphones',
        'Smart Plug',
      ],
      priceRange: [9, 200],
    },
    stationery: {
      products: [
        'Notebook A5',
        'Gel Pen 10-pack',
        'Desk Organiser',
        'Stapler',
        'Sticky Notes',
        'Fountain Pen',
        'Sketchbook',
      ],
      priceRange: [2, 60],
    },
    pets: {
      products: [
        'Dog Bed',
        'Cat Scratcher',
        'Pet Bowl',
        'Lead',
        'Chew Toy',
        'Litter Tray',
        'Grooming Brush',
      ],
      priceRange: [4, 95],
    },
  };

export const DEMO_VARIANTS = [
  'Classic',
  'Compact',
  'Deluxe',
  'Eco',
  'Pro',
  'Large',
  'Mini',
  'Oak',
  'Slate',
  'Sage',
];

export const DEMO_LOCATIONS = [
  { code: 'W1', name: 'Central warehouse', kind: 'warehouse' as const, timeZone: 'Europe/London' },
  { code: 'S1', name: 'High Street store', kind: 'store' as const, timeZone: 'Europe/London' },
  { code: 'S2', name: 'Riverside store', kind: 'store' as const, timeZone: 'Europe/London' },
  { code: 'S3', name: 'Station store', kind: 'store' as const, timeZone: 'Europe/London' },
];

export const DEMO_CHANNELS = [
  { code: 'web', name: 'Web shop', kind: 'online' as const, locations: ['W1', 'S1'] },
  { code: 'pos', name: 'Store tills', kind: 'pos' as const, locations: ['S1', 'S2', 'S3'] },
  { code: 'market', name: 'Marketplace', kind: 'marketplace' as const, locations: ['W1'] },
];
